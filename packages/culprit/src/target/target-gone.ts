/**
 * Saying that a target went away: its exit in words, and probe calls whose
 * failure a caller turns into a coded error (a crashed target must not print
 * as culprit's internal error).
 */
import { constants } from 'node:os';
import type { ProbeControl } from './types.js';

/** "exited with code 7", "was killed by SIGABRT" (codes above 128 from process-group are 128 + signal). */
export function describeExit(code: number): string {
  if (code > 128) {
    const name = Object.entries(constants.signals).find(([, n]) => n === code - 128)?.[0];
    if (name) return `was killed by ${name} (exit code ${code})`;
  }
  return `exited with code ${code}`;
}

/** The same probe, each call's rejection passed through `explain` (which returns the error to raise). */
export function guardProbe(probe: ProbeControl, explain: (error: unknown) => Promise<unknown>): ProbeControl {
  const guarded: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(probe) as Array<[string, (...args: unknown[]) => Promise<unknown>]>) {
    guarded[name] = (...args: unknown[]) =>
      method(...args).catch(async (error: unknown) => {
        throw await explain(error);
      });
  }
  return guarded as unknown as ProbeControl;
}
