/**
 * Cheap structured stack capture at query issue time. Capturing is split in
 * two: `Error.captureStackTrace` at issue time (V8 keeps a structured trace,
 * no strings), and reading the CallSites into frames only when someone reads
 * `event.stack` (most of the cost; queries outside a request never pay it).
 * Positions stay generated: the CLI source-maps them in its own process.
 */
import type { RawFrame, RawQueryEvent } from './types.js';

/** Frames read on demand (memoized). */
export type StackThunk = () => RawFrame[];

/** Deep enough to get past ORM layers to the application frame. */
const STACK_LIMIT = 40;

type CallSiteList = NodeJS.CallSite[];

/**
 * The current stack, innermost first, excluding `below` and what it called,
 * as a memoized thunk. Error.prepareStackTrace is swapped only while the
 * frames are read (synchronously), so the app's own formatter and
 * --enable-source-maps are untouched.
 */
export function captureStackLazily(below: (...args: never[]) => unknown): StackThunk {
  const holder: { stack?: unknown } = {};
  const previousLimit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = STACK_LIMIT;
    Error.captureStackTrace(holder, below);
  } finally {
    Error.stackTraceLimit = previousLimit;
  }
  let frames: RawFrame[] | undefined;
  return () => {
    frames ??= readFrames(holder);
    return frames;
  };
}

/** An event whose `stack` is read (once) when first accessed, by the probe or JSON.stringify. */
export function withLazyStack(event: Omit<RawQueryEvent, 'stack'>, stack: StackThunk): RawQueryEvent {
  return Object.defineProperty(event, 'stack', { get: stack, enumerable: true, configurable: true }) as RawQueryEvent;
}

function readFrames(holder: { stack?: unknown }): RawFrame[] {
  const previousPrepare = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = (_error, sites) => sites;
    const sites = holder.stack; // V8 formats lazily, on first read, with the prepareStackTrace current now
    return Array.isArray(sites) ? toFrames(sites as CallSiteList) : [];
  } catch {
    return []; // a stack is a nicety: never fail the app's query for it
  } finally {
    Error.prepareStackTrace = previousPrepare;
  }
}

function toFrames(sites: CallSiteList): RawFrame[] {
  const frames: RawFrame[] = [];
  for (const site of sites) {
    const url = site.getFileName() ?? site.getScriptNameOrSourceURL();
    if (!url) continue; // native frames: nothing to map
    frames.push({
      url,
      line: Math.max(0, (site.getLineNumber() ?? 1) - 1),
      column: Math.max(0, (site.getColumnNumber() ?? 1) - 1),
      functionName: site.getFunctionName() ?? site.getMethodName() ?? '',
      ...(site.isAsync() ? { async: true } : {}),
    });
  }
  return frames;
}
