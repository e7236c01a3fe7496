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
    !frame.file.includes('/node_modules/')
  );
}

/** `file:line`, the identity of a place in the code. */
export function lineKey(frame: SourceLocation): string {
  return `${frame.file}:${frame.line}`;
}

/** `file#function`, the identity of a function whatever line of it is running. */
export function functionKey(frame: SourceLocation): string {
  return `${frame.file}#${frame.functionName ?? ''}`;
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
