import type { SourceLocation } from '../../capture/types.js';

/**
 * A frame of the user's own code: not a dependency (culprit's own files carry
 * the package `culprit`), not Node's internals, not an unnamed script.
 */
export function isAppFrame(frame: SourceLocation): boolean {
  return (
    frame.package === undefined &&
    frame.file !== '' &&
    !frame.file.startsWith('node:') &&
    !frame.file.startsWith('internal/') &&
    !frame.file.includes('/node_modules/') &&
    !isEmittedAsyncHelper(frame)
  );
}

/**
 * The functions a compiler writes into each compiled file to run an async function on older targets:
 * TypeScript's `__awaiter` (`fulfilled`, `rejected`, `step`) and Babel's `asyncToGenerator`
 * (`asyncGeneratorStep`, `_next`, `_throw`), inlined when no helper package is imported.
 */
const ASYNC_HELPERS = new Set(['fulfilled', 'rejected', 'step', 'asyncGeneratorStep', '_next', '_throw']);

/**
 * A frame of such a helper, inlined in the app's compiled file: the compiler's code, as tslib's copy of it
 * is, not the app's. Its source map maps it nowhere, so it stays in the .js file; it is the outermost
 * frame of every resumption after an await (`fulfilled` resumes the generator), and taken for the app's
 * it named each loop's N+1 at the helper's line at the top of the file.
 */
function isEmittedAsyncHelper(frame: SourceLocation): boolean {
  if (frame.functionName === undefined) return false;
  // names no app function takes: a source map may put them on a .ts line (the file's first statement)
  if (HELPER_ENTRIES.has(frame.functionName)) return true;
  return ASYNC_HELPERS.has(frame.functionName) && /\.[cm]?js$/.test(frame.file);
}

/** The entry functions of TypeScript's emitted helpers (tslib's names, inlined under the same ones). */
const HELPER_ENTRIES = new Set(['__awaiter', '__generator']);

/**
 * A stack's app frames, innermost first, without the anonymous Promise executor that TypeScript's
 * `__awaiter` runs: it has no name and its line is the helper's (`step(generator.next())`) or, through a
 * source map, the file's first statement. Only its caller, `__awaiter` in the same file, tells it apart;
 * taken for the app's, it named each repeated query of an awaited method at the top of its compiled file.
 */
export function appFramesOf(stack: readonly SourceLocation[]): SourceLocation[] {
  return stack.filter((frame, i) => isAppFrame(frame) && !isAwaiterExecutor(frame, stack[i + 1]));
}

function isAwaiterExecutor(frame: SourceLocation, caller: SourceLocation | undefined): boolean {
  return !frame.functionName && caller?.functionName === '__awaiter' && caller.file === frame.file;
}

/** `file:line`, the identity of a place in the code. */
export function lineKey(frame: SourceLocation): string {
  return `${frame.file}:${frame.line}`;
}

/** `file#function`, the identity of a function whatever line of it is running. */
export function functionKey(frame: SourceLocation): string {
  return `${frame.file}#${frame.functionName ?? ''}`;
}

/** Node's microtask queue: the bottom of a stack that resumed after an await. */
function isTaskQueue(frame: SourceLocation): boolean {
  return frame.file.startsWith('node:internal/process/task_queues') || frame.file === 'internal/process/task_queues.js';
}

/**
 * The function an await resumed: the outermost app frame of the synchronous
 * part of the stack (innermost first, as recorded), when that part starts at
 * the microtask queue or is awaited by a caller (an async frame). A loop that
 * awaits a call per item is resumed for each; a framework that awaits the
 * handler (Hapi, NestJS) adds only library frames above it, so the app's
 * frames alone do not show it. A driver's own pool ticks below the app's
 * first frame are not the app's resumption.
 */
export function resumedAppFrame(stack: readonly SourceLocation[]): SourceLocation | undefined {
  let outermostApp: SourceLocation | undefined;
  for (const frame of stack) {
    if (frame.async || isTaskQueue(frame)) {
      if (outermostApp) return outermostApp;
      continue;
    }
    if (isAppFrame(frame)) outermostApp = frame;
  }
  return undefined;
}

/**
 * The outermost dependency frame below the application's code: the library
 * call the app made (an ORM's `find`), named when no app frame exists.
 */
export function libraryEntry(stack: readonly SourceLocation[]): SourceLocation | undefined {
  let entry: SourceLocation | undefined;
  for (const frame of stack) {
    if (isAppFrame(frame)) break;
    if (frame.package !== undefined && !SCHEDULERS.has(frame.package)) entry = frame;
  }
  return entry;
}

/**
 * The library frame that calls the app's outermost frame directly (GraphQL's
 * executor calling a field resolver, an ORM calling a hook), if any: the app
 * code a library runs, perhaps once per item of what it iterates.
 */
export function libraryCaller(stack: readonly SourceLocation[]): SourceLocation | undefined {
  let outermost = -1;
  stack.forEach((frame, index) => {
    if (isAppFrame(frame)) outermost = index;
  });
  const caller = outermost >= 0 ? stack[outermost + 1] : undefined;
  return caller?.package !== undefined && !SCHEDULERS.has(caller.package) ? caller : undefined;
}

/**
 * Packages that only schedule callbacks (promise libraries, async helpers):
 * the bottom of a stack they drain says nothing about which call the app made.
 */
const SCHEDULERS = new Set([
  'culprit',
  'bluebird',
  'q',
  'when',
  'async',
  'zone.js',
  'core-js',
  'regenerator-runtime',
  'tslib',
]);
