/**
 * Where the app called an HTTP client that sends on a later tick. got (an ES
 * module, so its functions cannot be wrapped from a CommonJS hook) builds its
 * request synchronously in the app's `got(url)` call but calls
 * `http.request` from its own callbacks, whose stacks hold no app frame; V8's
 * async stack traces do not reach back either (its promise is settled by
 * hand, not awaited). got publishes `got:request:create` inside that first
 * synchronous call, so the stack is taken there and handed, in the same
 * synchronous call, to got's request (`takeEntry`, from its `flush`:
 * got-entry.ts), which keeps it on its options. The request function got
 * picks from those options later is marked with it (`clientRequest`): the
 * `http.request` it makes takes these frames and no stack of its own.
 *
 * Nothing is kept in an AsyncLocalStorage: on Node 20 (async hooks, not
 * Node 24's AsyncContextFrame) an enabled storage copies its store onto every
 * promise and async resource the process makes, got's dozens per call among
 * them (≈20k instructions per call, perop9).
 */
import dc from 'node:diagnostics_channel';
import { ExtendedStack } from '../composed-stacks.js';
import {
  captureStackBelowEntries,
  closeOwnBelowEntry,
  entryMethods,
  openOwn,
  ownCaptureWanted,
} from '../entry-stacks.js';
import { noteFault } from '../faults.js';
import type { FrameSource, StackHolder } from '../frame-source.js';
import { captureStackLater } from '../request-context.js';
import { remoteScope } from './raw-call.js';

/** Frames got puts between the app's `got()` and the channel's publish (about 12 on got 14). */
const ENTRY_STACK_DEPTH = 20;

/**
 * The functions that publish an entry channel inside them (got's Request constructor, one per got copy): the
 * app's `got()` calls it at once, so a stack taken below it holds got's `got` function and the app's frame,
 * two frames to read where the stack below the channel's subscriber held five (the channel's publish, got's
 * publisher, the constructor, `got`, the app).
 */
const publishers = entryMethods();

/** Notes a client function inside which an entry channel is published (patchGotRequest). */
export function notePublisher(publisher: unknown): void {
  if (typeof publisher === 'function' && !publishers.methods.includes(publisher as (typeof publishers.methods)[0])) {
    publishers.methods.push(publisher as (typeof publishers.methods)[0]);
  }
}

/** The entry the last `got:request:create` took, for the request it names (takeEntry). */
let entered: FrameSource | undefined;
let enteredFor: unknown;

function onEntry(message: unknown): void {
  entered = undefined;
  try {
    if (!listening || !remoteScope()) return;
    enteredFor = (message as { requestId?: unknown } | null)?.requestId;
    const publisher = publishers.methods[publishers.last];
    if (publisher === undefined || !ownCaptureWanted()) {
      entered = captureStackBelowEntries(publishers, onEntry, ENTRY_STACK_DEPTH);
      return;
    }
    // taken in this body: no helper's frame above the channel's publish for V8 to walk (Node 20: ≈2–3k each)
    const holder: StackHolder = {};
    const limit = openOwn(publisher);
    try {
      Error.captureStackTrace(holder, publisher);
    } finally {
      entered = closeOwnBelowEntry(holder, publisher, limit, publishers, onEntry, ENTRY_STACK_DEPTH);
    }
  } catch (error) {
    noteFault('client entry', error);
  }
}

/**
 * The frames the entry channel took for request `requestId` in this synchronous call (got's Request
 * constructor published it, its `flush` asks), once; undefined when the last entry was another request's
 * (got's `flush` called later, by an asynchronous handler) or none was taken.
 */
export function takeEntry(requestId: unknown): FrameSource | undefined {
  const frames = entered;
  entered = undefined;
  return frames !== undefined && enteredFor === requestId ? frames : undefined;
}

/** The app's call to an HTTP client (the stack below `below`), for a client with no entry channel (got 12–14.5). */
export function enterClient(below: (...args: never[]) => unknown): FrameSource | undefined {
  try {
    if (!listening || !remoteScope()) return undefined;
    return captureStackLater(below, ENTRY_STACK_DEPTH);
  } catch (error) {
    noteFault('client entry', error);
    return undefined;
  }
}

/** Channels published synchronously at an HTTP client's entry, in the app's call. */
const ENTRY_CHANNELS = ['got:request:create'];
let listening = false;

/** Subscribes while a trace listens. */
export function listenClientEntries(on: boolean): void {
  if (on === listening) return;
  listening = on;
  for (const name of ENTRY_CHANNELS) {
    if (on) dc.subscribe(name, onEntry);
    else dc.unsubscribe(name, onEntry);
  }
  entered = undefined;
}

type RequestFunction = (...args: unknown[]) => unknown;

/** The entry of the client call whose request function runs now (clientRequest); undefined: none, or not a client's. */
let issuing: FrameSource | undefined;
/** True while a client's request function runs (clientRequest), with or without an entry. */
let clientIssuing = false;
const clientRequests = new WeakMap<RequestFunction, RequestFunction>();

/**
 * `request` (http.request/https.request, as a client picked it) marked as the client's own call, made for
 * the app's call whose `entry` the client kept: the request it makes takes those frames instead of a stack of
 * its own, which holds only the client's callbacks (got: a second and third capture per call, for no
 * application frame). Without an entry (got's request made by an asynchronous handler), its one marked copy:
 * the request takes its own stack. A direct `http.get` of the app is not marked.
 */
export function clientRequest(request: RequestFunction, entry?: FrameSource): RequestFunction {
  if (!listening) return request;
  if (entry !== undefined) {
    // one function per call: the client may call it later than it picks it (got's cache), after other calls
    return function (this: unknown, ...args: unknown[]): unknown {
      return issueAs(entry, request, this, args);
    };
  }
  let marked = clientRequests.get(request);
  if (!marked) {
    marked = function (this: unknown, ...args: unknown[]): unknown {
      return issueAs(undefined, request, this, args);
    };
    clientRequests.set(request, marked);
  }
  return marked;
}

function issueAs(entry: FrameSource | undefined, request: RequestFunction, self: unknown, args: unknown[]): unknown {
  const outerIssuing = clientIssuing;
  const outerEntry = issuing;
  clientIssuing = true;
  issuing = entry;
  try {
    return Reflect.apply(request, self, args);
  } finally {
    clientIssuing = outerIssuing;
    issuing = outerEntry;
  }
}

/**
 * The kept entry's frames for a request a client issues from its own callbacks (clientRequest), or
 * undefined: the caller then takes the stack. Under --stacks the caller takes its own stack too (records
 * carry every frame) and extends it with these (withClientEntry).
 */
export function clientEntryFrames(): FrameSource | undefined {
  return clientIssuing ? issuing : undefined;
}

/** `stack` followed by the client entry's frames when it holds no application frame (read later). */
export function withClientEntry(stack: FrameSource, entry: FrameSource | undefined): FrameSource {
  return entry === undefined ? stack : new ExtendedStack(stack, entry);
}
