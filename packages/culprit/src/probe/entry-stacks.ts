/**
 * Stacks taken below a library's own method that the app called, found among
 * several: a client library has more than one way in (a command method, its
 * `sendCommand`, a MULTI's `exec`), and more than one copy may be loaded. V8
 * skips the frames above the method it is given, so a capture below the
 * method nearest the app reads only the frames between it and the app's,
 * where a capture below the hook reads the library's whole way down too.
 */
import {
  type CapturedStack,
  captureHinted,
  closeCapture,
  FrameList,
  type FrameSource,
  NO_FRAMES,
  openCapture,
  orDeeper,
  type RawFrame,
  type StackHolder,
} from './frame-source.js';
import {
  captureStackLater,
  countedOnly,
  DEFAULT_STACK_LIMIT,
  SHORT_STACK,
  wholeStacksWanted,
} from './request-context.js';

/** One library copy's methods an operation may have come through, nearest the app first. */
export interface EntryMethods {
  methods: Array<(...args: never[]) => unknown>;
  /** The method the last operation was found below: tried first (a method not on the stack costs a walk of it all). */
  last: number;
}

/** `methods` that are functions (a library version may lack some), as EntryMethods. */
export function entryMethods(methods: readonly unknown[] = []): EntryMethods {
  return { methods: methods.filter(isFunction), last: 0 };
}

function isFunction(value: unknown): value is (...args: never[]) => unknown {
  return typeof value === 'function';
}

/**
 * The stack below the first of `entries` on it that has an application frame close below it; else, as
 * captureStackLater, below `below` (the hook's function) and `depth` frames deeper. Under --stacks the
 * library's frames are wanted too: taken below `below` at once.
 */
export function captureStackBelowEntries(
  entries: EntryMethods,
  below: (...args: never[]) => unknown,
  depth = 0,
): FrameSource {
  if (countedOnly()) return NO_FRAMES;
  const methods = entries.methods;
  if (!wholeStacksWanted()) {
    for (let tried = 0; tried < methods.length; tried++) {
      const at = (entries.last + tried) % methods.length;
      const stack = captureHinted(methods[at] as (...args: never[]) => unknown, SHORT_STACK);
      if (stack.appFrameIndex() >= 0) {
        entries.last = at;
        return stack;
      }
      // on the stack with no application frame close below it (an ORM's deep stack, a library's own callback):
      // the capture below the hook, as deep as it goes, decides
      if (stack.capturedCount() > 0) break;
    }
  }
  return captureStackLater(below, depth);
}

/**
 * Whether a hook takes its stack in its own body: `openOwn(below, depth)`, then
 * `Error.captureStackTrace(holder, below)` in the hook, then closeOwnLater or closeOwnBelowEntry. On Node 20
 * V8 summarizes every frame it walks, those above `below` too (a Sparkplug frame by a linear scan of its
 * bytecode offsets, ≈2–3k instructions): a capture taken through captureStackLater or captureHinted walks
 * their frames as well. Not in a request `culprit watch` only counts (no stack) nor under --stacks (whole
 * stacks: the helpers).
 */
export function ownCaptureWanted(): boolean {
  return !wholeStacksWanted() && !countedOnly();
}

/** Sets the limit of a hook's own capture below `below` (its short, hinted depth); a close… must follow. */
export function openOwn(below: (...args: never[]) => unknown, depth = 0): number {
  return openCapture(below, SHORT_STACK + depth);
}

/** Ends a hook's own capture below its own function `below`: what captureStackLater(below, depth) returns. */
export function closeOwnLater(
  holder: StackHolder,
  below: (...args: never[]) => unknown,
  limit: number,
  depth = 0,
): FrameSource {
  const short = SHORT_STACK + depth;
  return orDeeper(closeCapture(holder, below, short, limit), below, short, DEFAULT_STACK_LIMIT + depth);
}

/**
 * Ends a hook's own capture below a library's `entry` method (openOwn(entry), no depth): what
 * captureStackBelowEntries(entries, hook, depth) returns when `entry` is the one it tries first.
 */
export function closeOwnBelowEntry(
  holder: StackHolder,
  entry: (...args: never[]) => unknown,
  limit: number,
  entries: EntryMethods | undefined,
  hook: (...args: never[]) => unknown,
  depth = 0,
): FrameSource {
  const stack: CapturedStack = closeCapture(holder, entry, SHORT_STACK, limit);
  if (stack.appFrameIndex() >= 0) return stack;
  // on the stack with no application frame close below it: the capture below the hook, as deep as it goes,
  // decides; not on it (another copy's method): the other methods are tried
  if (stack.capturedCount() > 0 || entries === undefined) return captureStackLater(hook, depth);
  return captureStackBelowEntries(entries, hook, depth);
}

/**
 * `stack` as its first application frame alone, for an entry kept past the synchronous call that took it (got's,
 * on its request's options): a captured stack holds its CallSites, and a CallSite its frame's function and
 * receiver, got's per-call handler closures among them, which hold the got Request until the app's request
 * ends (enough, on Node 20, for a mark-compact the recording would not otherwise cause). Only where the
 * record reads no more than that frame: ownCaptureWanted (no --stacks). `appFrame(syncOnly)` answers as the
 * stack did: the frames after an asynchronous one are asynchronous too.
 */
export function appFrameOnly(stack: FrameSource): FrameSource {
  const frame = stack.appFrame();
  if (frame === undefined) return NO_FRAMES;
  // one list per frame, shared by the calls made from its line (frame objects are shared so, frame-source.ts):
  // nothing allocated per call, and nothing more for the scavenger to copy while the app's request lasts
  let list = oneFrameLists.get(frame);
  if (list === undefined) {
    list = new FrameList([frame]);
    oneFrameLists.set(frame, list);
  }
  return list;
}

/** appFrameOnly's lists by their frame (read only: FrameSource's readers never change a list they are given). */
const oneFrameLists = new WeakMap<RawFrame, FrameList>();
