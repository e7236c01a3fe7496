/**
 * Small helpers shared by the driver hooks: patch a method once (even when
 * two copies of the probe load), and run hook code without ever throwing
 * into the app.
 */
import { noteFault } from '../faults.js';

const PATCHED = Symbol.for('culprit.patched');
const OWNER = Symbol.for('culprit.patch-owner');
/** This copy of the module: Jest gives each test file its own copy, while native addons and builtins are shared. */
const thisCopy = {};
let takeOver = false;

/**
 * From now on, a method another copy of culprit patched is patched again for
 * this one (from the original: never twice). measure() asks it: under Jest each
 * test file loads its own culprit, yet a native addon's classes (better-sqlite3's
 * Statement) are one per process, and the copy of the file running now must record.
 */
export function takeOverOtherCopies(): void {
  takeOver = true;
}

/** A method seen from outside: callers' arguments and result pass through untouched. */
export type AnyMethod = (this: unknown, ...args: unknown[]) => unknown;

/** Replaces `target[name]` with `wrap(original)` unless culprit already did (another copy: see takeOverOtherCopies). Returns whether it patched. */
export function patchMethod(target: object, name: string, wrap: (original: AnyMethod) => AnyMethod): boolean {
  const holder = target as Record<string, unknown>;
  const current = holder[name];
  if (typeof current !== 'function') return false;
  const marks = current as unknown as Record<symbol, unknown>;
  let original = current as AnyMethod;
  if (marks[PATCHED]) {
    if (!takeOver || marks[OWNER] === thisCopy || typeof marks[PATCHED] !== 'function') return false;
    original = marks[PATCHED] as AnyMethod;
  }
  const wrapped = wrap(original);
  Object.defineProperty(wrapped, PATCHED, { value: original });
  Object.defineProperty(wrapped, OWNER, { value: thisCopy });
  Object.defineProperty(wrapped, 'name', { value: original.name });
  Object.defineProperty(wrapped, 'length', { value: original.length });
  holder[name] = wrapped;
  return true;
}

/** Runs hook code; a failure becomes a noted fault and `fallback`. */
export function guarded<T>(where: string, fallback: T, body: () => T): T {
  try {
    return body();
  } catch (error) {
    noteFault(where, error);
    return fallback;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
