/**
 * Small helpers shared by the driver hooks: patch a method once (even when
 * two copies of the probe load), and run hook code without ever throwing
 * into the app.
 */
import { noteFault } from '../faults.js';

const PATCHED = Symbol.for('culprit.patched');

/** A method seen from outside: callers' arguments and result pass through untouched. */
export type AnyMethod = (this: unknown, ...args: unknown[]) => unknown;

/** Replaces `target[name]` with `wrap(original)` unless culprit already did. Returns whether it patched. */
export function patchMethod(target: object, name: string, wrap: (original: AnyMethod) => AnyMethod): boolean {
  const holder = target as Record<string, unknown>;
  const original = holder[name];
  if (typeof original !== 'function' || (original as unknown as Record<symbol, unknown>)[PATCHED]) return false;
  const wrapped = wrap(original as AnyMethod);
  Object.defineProperty(wrapped, PATCHED, { value: original });
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
