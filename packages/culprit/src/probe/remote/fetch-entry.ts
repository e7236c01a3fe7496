/**
 * fetch's entry: the global `fetch` is wrapped while a trace listens, and the
 * wrapper takes the app's stack in its own body, for the `undici:request:create`
 * that undici publishes synchronously inside the call (http-client.ts). Taken
 * in the channel's subscriber, below the global fetch, V8 walked undici's ~25
 * frames to reach it, summarizing each: on Node 22 most are Sparkplug frames,
 * whose bytecode offset is a linear scan of the function's offset table
 * (undici's fetch steps are long functions): ≈98k instructions per call, more
 * than half of fetch's recording (bench/network/README.md, fetch11). Below
 * the wrapper, V8 walks the wrapper alone.
 *
 * The global is the original again when the trace stops listening (unless
 * something replaced it since), so an idle probe adds nothing to a fetch; a
 * wrapper the app kept meanwhile passes through at a flag check.
 */
import { closeOwnLater, openOwn, ownCaptureWanted } from '../entry-stacks.js';
import { noteFault } from '../faults.js';
import type { FrameSource, StackHolder } from '../frame-source.js';
import { remoteScope } from './raw-call.js';

type Fetch = (input: unknown, init?: unknown) => unknown;

/** The global fetch the wrapper calls (the one found when it was put in place), for the subscriber's own capture. */
let original: Fetch | undefined;
let wrapper: Fetch | undefined;
let listening = false;

/** The frames the wrapper took, while the fetch call it made runs (undici's create comes inside it). */
let pending: FrameSource | undefined;

function wrap(target: Fetch): Fetch {
  // named `fetch`, one declared parameter as the global's: `fetch.name` and `fetch.length` read as before
  const wrapped = function fetch(this: unknown, input: unknown, init: unknown = undefined): unknown {
    if (!listening || !ownCaptureWanted() || remoteScope() === undefined)
      return Reflect.apply(target, this, [input, init]);
    let frames: FrameSource | undefined;
    try {
      // taken in this body, below this wrapper: V8 walks this frame only to reach the app's
      const holder: StackHolder = {};
      const limit = openOwn(wrapped);
      try {
        Error.captureStackTrace(holder, wrapped);
      } finally {
        frames = closeOwnLater(holder, wrapped, limit);
      }
    } catch (error) {
      noteFault('fetch entry', error);
    }
    const outer = pending;
    pending = frames;
    try {
      return Reflect.apply(target, this, [input, init]);
    } finally {
      pending = outer;
    }
  };
  return wrapped;
}

/**
 * The frames of the app's call to the global fetch whose request undici creates now (synchronously inside it),
 * once; undefined for another request (a redirect's, undici's own package) or under --stacks: the subscriber
 * takes the stack itself then.
 */
export function takeFetchEntry(): FrameSource | undefined {
  const frames = pending;
  pending = undefined;
  return frames;
}

/** The global fetch as it was before the wrapper (the subscriber's own capture is taken below it), or the global. */
export function fetchEntryFunction(): ((...args: never[]) => unknown) | undefined {
  const entry: unknown = original ?? (globalThis as { fetch?: unknown }).fetch;
  return typeof entry === 'function' ? (entry as (...args: never[]) => unknown) : undefined;
}

/** Puts the wrapper in place while a trace listens; puts the original back after, if the global is still the wrapper. */
export function listenFetch(on: boolean): void {
  if (on === listening) return;
  listening = on;
  pending = undefined;
  try {
    const current = (globalThis as { fetch?: unknown }).fetch;
    if (on) {
      if (typeof current !== 'function' || current === wrapper) return;
      // the same wrapper again for the same global: one function however often a trace starts
      if (current !== original || wrapper === undefined) {
        original = current as Fetch;
        wrapper = wrap(original);
      }
      (globalThis as { fetch?: unknown }).fetch = wrapper;
    } else if (wrapper !== undefined && current === wrapper && original !== undefined) {
      (globalThis as { fetch?: unknown }).fetch = original;
    }
  } catch (error) {
    noteFault('fetch entry', error);
  }
}
