/**
 * Cheap structured stack capture at query issue time. V8's CallSite API gives
 * generated positions without formatting a string or source mapping (the CLI
 * maps later, in its own process). Costs a few microseconds per query.
 */
import type { RawFrame } from './types.js';

/** Deep enough to get past ORM layers to the application frame. */
const STACK_LIMIT = 60;

type CallSiteList = NodeJS.CallSite[];

/**
 * Frames of the current stack, innermost first, excluding `below` and what it
 * called. Error.prepareStackTrace is swapped only for the duration of the
 * call (the stack is read synchronously), so the app's own formatter and
 * --enable-source-maps are untouched.
 */
export function captureStack(below: (...args: never[]) => unknown): RawFrame[] {
  const holder: { stack?: unknown } = {};
  const previousPrepare = Error.prepareStackTrace;
  const previousLimit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = STACK_LIMIT;
    Error.prepareStackTrace = (_error, sites) => sites;
    Error.captureStackTrace(holder, below);
    const sites = holder.stack;
    return Array.isArray(sites) ? toFrames(sites as CallSiteList) : [];
  } finally {
    Error.prepareStackTrace = previousPrepare;
    Error.stackTraceLimit = previousLimit;
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
    });
  }
  return frames;
}
