/**
 * The probe must never throw into the app. Hooks catch their own failures and
 * note them here instead, so a broken hook shows up as a count in the capture
 * notes rather than as a crash or a silently missing query.
 */

const state = { count: 0, last: '' };

export function noteFault(where: string, error: unknown): void {
  state.count += 1;
  state.last = `${where}: ${error instanceof Error ? error.message : String(error)}`;
}

/** How many hook faults happened and the last one, for the probe to report. */
export function hookFaults(): { count: number; last: string } {
  return { ...state };
}
