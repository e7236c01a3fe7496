/**
 * Probe faults: the probe never throws into the app, but it does not hide its
 * own failures either. Each caught error is counted by place and its first
 * message kept, and the CLI reads them (`probe.faults`) into the capture's notes.
 */
const counts = new Map<string, { count: number; first: string }>();

/** Records a caught probe error under `where` (e.g. `recordQuery`). */
export function noteFault(where: string, error: unknown): void {
  const entry = counts.get(where);
  if (entry) entry.count += 1;
  else counts.set(where, { count: 1, first: error instanceof Error ? error.message : String(error) });
}

/** Faults so far, one line each: `recordQuery: 3× (first: …)`. */
export function faultLines(): string[] {
  return [...counts].map(([where, { count, first }]) => `${where}: ${count}× (first: ${first})`);
}
