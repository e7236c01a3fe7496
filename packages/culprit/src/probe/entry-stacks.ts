/**
 * Stacks taken below a library's own method that the app called, found among
 * several: a client library has more than one way in (a command method, its
 * `sendCommand`, a MULTI's `exec`), and more than one copy may be loaded. V8
 * skips the frames above the method it is given, so a capture below the
 * method nearest the app reads only the frames between it and the app's,
 * where a capture below the hook reads the library's whole way down too.
 */
import { captureHinted, type FrameSource, NO_FRAMES } from './frame-source.js';
import { captureStackLater, countedOnly, SHORT_STACK, wholeStacksWanted } from './request-context.js';

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
