/**
 * Where the app called an HTTP client that sends on a later tick. got (an ES
 * module, so its functions cannot be wrapped from a CommonJS hook) builds its
 * request synchronously in the app's `got(url)` call but calls
 * `http.request` from its own callbacks, whose stacks hold no app frame; V8's
 * async stack traces do not reach back either (its promise is settled by
 * hand, not awaited). got publishes `got:request:create` inside that first
 * synchronous call, so the stack is taken there and kept in the async context
 * (`enterWith`): got's later callbacks run in contexts descending from it,
 * and the `http.request` hook appends these frames when its own stack has no
 * app frame. A later entry overwrites it, so each call sees the last entry
 * made before it in its own context (the way knex.ts keeps a builder's origin).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import dc from 'node:diagnostics_channel';
import { ExtendedStack, FallbackStack } from '../composed-stacks.js';
import { captureStackBelowEntries, entryMethods } from '../entry-stacks.js';
import { noteFault } from '../faults.js';
import type { FrameSource } from '../frame-source.js';
import { captureStackLater, scopeCompanion, wholeStacksWanted } from '../request-context.js';
import { remoteScope } from './raw-call.js';

/** Frames got puts between the app's `got()` and the channel's publish (about 12 on got 14). */
const ENTRY_STACK_DEPTH = 20;

const entries = scopeCompanion(new AsyncLocalStorage<FrameSource>());

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

function onEntry(): void {
  try {
    if (!listening || !remoteScope()) return;
    keepEntry(captureStackBelowEntries(publishers, onEntry, ENTRY_STACK_DEPTH));
  } catch (error) {
    noteFault('client entry', error);
  }
}

/** Keeps the app's call to an HTTP client (the stack below `below`) for the requests it sends later. */
export function enterClient(below: (...args: never[]) => unknown): void {
  try {
    if (!listening || !remoteScope()) return;
    keepEntry(captureStackLater(below, ENTRY_STACK_DEPTH));
  } catch (error) {
    noteFault('client entry', error);
  }
}

function keepEntry(own: FrameSource): void {
  const previous = entries.getStore();
  // a retry got makes from its own callbacks keeps the entry of the app's call; an entry naming the app replaces
  // the one before (its frames were read at capture: no cost), or a loop's entries would chain without end
  entries.enterWith(previous && !own.appFrame() ? new FallbackStack(own, previous) : own);
}

/** Channels published synchronously at an HTTP client's entry, in the app's call. */
const ENTRY_CHANNELS = ['got:request:create'];
let listening = false;

/** Subscribes while a trace listens; the storage is dropped after, so an idle probe propagates nothing. */
export function listenClientEntries(on: boolean): void {
  if (on === listening) return;
  listening = on;
  for (const name of ENTRY_CHANNELS) {
    if (on) dc.subscribe(name, onEntry);
    else dc.unsubscribe(name, onEntry);
  }
  if (!on) entries.disable();
}

type RequestFunction = (...args: unknown[]) => unknown;

/** True while a client whose entry was kept calls `http.request` from its own callbacks (clientRequest). */
let clientIssuing = false;
const clientRequests = new WeakMap<RequestFunction, RequestFunction>();

/**
 * `request` (http.request/https.request, as a client picked it) marked as the client's own call: the
 * request it makes takes the frames of the client's entry instead of a stack of its own, which holds
 * only the client's callbacks (got: a second and third capture per call, for no application frame).
 * A direct `http.get` of the app, in the same async context as an earlier got call, is not marked.
 */
export function clientRequest(request: RequestFunction): RequestFunction {
  if (!listening) return request;
  let marked = clientRequests.get(request);
  if (!marked) {
    marked = function (this: unknown, ...args: unknown[]): unknown {
      const outer = clientIssuing;
      clientIssuing = true;
      try {
        return Reflect.apply(request, this, args);
      } finally {
        clientIssuing = outer;
      }
    };
    clientRequests.set(request, marked);
  }
  return marked;
}

/**
 * The kept entry's frames for a request a client issues from its own callbacks (clientRequest), or
 * undefined: the caller then takes the stack (under --stacks too, whose records carry every frame).
 */
export function clientEntryFrames(): FrameSource | undefined {
  if (!clientIssuing || wholeStacksWanted()) return undefined;
  return entries.getStore();
}

/**
 * `stack`'s frames as they are when they hold an app frame; else followed by
 * the frames of the last client entry of this async context, if any (looked
 * up now, read later).
 */
export function withEntryFrames(stack: FrameSource): FrameSource {
  const entry = entries.getStore();
  if (!entry) return stack;
  return new ExtendedStack(stack, entry);
}
