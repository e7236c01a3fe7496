/**
 * Where the app called an HTTP client that sends on a later tick. got (an ES
 * module, so its functions cannot be wrapped from a CommonJS hook) builds its
 * request synchronously in the app's `got(url)` call but calls
 * `http.request` from its own callbacks, whose stacks hold no app frame; V8's
 * async stack traces do not reach back either (its promise is settled by
 * hand, not awaited). got publishes `got:request:create` inside that first
 * synchronous call, and its `flush` (got-entry.ts), which that call makes
 * next, takes the stack when the message named its request (`entryPending`)
 * and keeps it on the request's options. The request function got
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
import { noteFault } from '../faults.js';
import type { FrameSource } from '../frame-source.js';
import { captureStackLater } from '../request-context.js';
import { remoteScope } from './raw-call.js';

/** Frames a client may put between the app's call and its entry (got's handlers: 3 without the app's own). */
export const ENTRY_STACK_DEPTH = 20;

/**
 * The request the last `got:request:create` named, while the app's synchronous `got()` call that published it
 * runs (entryPending): its `flush`, which that call makes next, takes the stack in its own body. Taken here,
 * below the Request constructor, V8 summarized the constructor's frame as it walked (Node 20: its Sparkplug
 * frame's bytecode offset is a linear scan, through got's ~30 field initializers up to the publish), and the
 * channel's publish, got's publisher and this subscriber too; below `flush` it walks got's three short
 * functions (`lastHandler`, `iterateHandlers`, `got`) to the app's frame.
 */
let enteredFor: unknown;
let entering = false;

function onEntry(message: unknown): void {
  entering = false;
  try {
    if (!listening || !remoteScope()) return;
    enteredFor = (message as { requestId?: unknown } | null)?.requestId;
    entering = true;
  } catch (error) {
    noteFault('client entry', error);
  }
}

/**
 * Whether the last entry channel's message named request `requestId` in this synchronous call (got's Request
 * constructor published it, its `flush` asks), once; false when the last one was another request's (got's
 * `flush` called later, by an asynchronous handler) or none was published while a trace listened.
 */
export function entryPending(requestId: unknown): boolean {
  const pending = entering && enteredFor === requestId;
  entering = false;
  return pending;
}

/** The frames of the app's call into a client whose entry channel named `requestId` (entryPending), once. */
export function takeEntry(requestId: unknown): FrameSource | undefined {
  return entryPending(requestId) ? enterClient(takeEntry) : undefined;
}

/** Whether an entry taken now is wanted: a trace listens and this async context is a recorded request's. */
export function entryWanted(): boolean {
  return listening && remoteScope() !== undefined;
}

/** The app's call to an HTTP client (the stack below `below`), through the helpers (a hook's own capture: entryWanted). */
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
  entering = false;
}

type RequestFunction = (...args: unknown[]) => unknown;

/** The entry of the client call whose request function runs now (clientRequest); undefined: none, or not a client's. */
let issuing: FrameSource | undefined;
/** True while a client's request function runs (clientRequest), with or without an entry. */
let clientIssuing = false;
const clientRequests = new WeakMap<RequestFunction, RequestFunction>();
/** clientRequest's function for an entry, with the request function it calls (the last one marked for it). */
const entryRequests = new WeakMap<FrameSource, { request: RequestFunction; marked: RequestFunction }>();

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
    // one function per entry: the client may call it later than it picks it (got's cache), after other calls.
    // An entry is shared by the calls made from one line (appFrameOnly's lists), so is its function: not a
    // closure per call
    const kept = entryRequests.get(entry);
    if (kept?.request === request) return kept.marked;
    const marked = function (this: unknown, ...args: unknown[]): unknown {
      return issueAs(entry, request, this, args);
    };
    entryRequests.set(entry, { request, marked });
    return marked;
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

/**
 * Runs `send` (a client's method the app called) with `entry` as the frames of every `http.request` it makes
 * synchronously (clientEntryFrames): axios sends inside the app's call, 14 frames below it (axios-entry.ts).
 */
export function issueAsClient(entry: FrameSource, send: RequestFunction, self: unknown, args: unknown[]): unknown {
  return issueAs(entry, send, self, args);
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
