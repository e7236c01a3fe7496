/**
 * Whether the one traced run of a diagnose without -n was a cold first run,
 * judged after the timing pass when no warm-up checked its work (a traced run
 * long enough to spend the trace pass alone). A cold run is traced once more:
 * a send under count mode, about twice the request.
 *
 * The runs are compared by their own time, not their wall time: a traced run
 * on a loaded machine waits for a core as long as it computes (the story at
 * 30k rows, load 21: 2.5 s of wall for 0.64 s of CPU, all of it in one
 * synchronous stretch), and that wait is no work the second trace would see
 * done otherwise. What a first run really does more (compiling the route,
 * filling a cache, waiting for a slow call) stays in its own time. Pure.
 */
import type { RequestRecord } from '../capture/types.js';
import { requestTimeMs } from '../diagnose/facts/request-time.js';
import { looksCold } from '../target/pass-budget.js';

/** The note that says why the request was traced again, or undefined when `traced` was not cold next to `timed`. */
export function coldTraceNote(traced: RequestRecord, timed: RequestRecord): string | undefined {
  const tracedMs = requestTimeMs(traced);
  const timedMs = requestTimeMs(timed);
  if (!looksCold(tracedMs, timedMs)) return undefined;
  const waited = traced.wallMs - tracedMs;
  // a tenth of a second or more of waiting for a core is worth saying: the note's figure is then not its wall time
  const own = waited >= 100 ? ` (${seconds(tracedMs)} of its own, ${seconds(waited)} waiting for a core)` : '';
  return `the one traced run took ${seconds(traced.wallMs)}${own}, the timed run ${seconds(timedMs)}: a cold first run, so the request was traced once more`;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
