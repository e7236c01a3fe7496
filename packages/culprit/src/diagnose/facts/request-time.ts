/**
 * The time of a request that its causes can account for: the one unit every
 * rule states what a fix saves in, so that findings of different kinds
 * (a query's wall time, a loop's CPU) rank like for like.
 *
 * A request's wall time is its CPU, its waits (queries, remote calls) and, on
 * a loaded machine, the time its process was ready to run but not running.
 * That last part belongs to no cause: no change to the app removes it, and it
 * stretches whatever happened to be running (a loop of 1 s of CPU held the
 * event loop for 6.7 s at a load of 20). A synchronous stretch is CPU or
 * descheduling, never a wait, so whatever the request's stretches last beyond
 * its whole CPU time is descheduling for certain; the rest of the wall time is
 * the request's own. Pure.
 */
import type { BlockingStretch, QueryRecord, RequestRecord } from '../../capture/types.js';
import type { CpuHotspot } from './cpu-facts.js';

/** Wall time the process spent descheduled during the request, at least (0 without a CPU reading). */
export function descheduledMs(record: RequestRecord): number {
  if (!(record.cpuMs > 0)) return 0;
  const stretches = (record.blocking ?? []).reduce((sum, stretch) => sum + stretch.durationMs, 0);
  const synchronousMs = Math.min(Math.max(stretches, record.blockingMs ?? 0), record.wallMs);
  return Math.max(0, synchronousMs - record.cpuMs);
}

/** The request's own time: its wall time less what descheduling added to it. */
export function requestTimeMs(record: RequestRecord): number {
  return record.wallMs - descheduledMs(record);
}

/**
 * What a CPU hotspot costs the traced request, in that request's time. The
 * profile weighs each sample by the wall time to the next one, and is taken
 * over other runs than the traced one, under another moment's load: a loop
 * profiled while the process was descheduled looks longer than its CPU. Its
 * share of the profile is robust to that (every sample is stretched alike),
 * and that share of the traced request's CPU is the time a fix would give
 * back to the request whose queries and waits the other rules measure (the
 * rows rule splits the same CPU by the same shares). Never more than the
 * request's own time.
 */
export function hotspotMsInRequest(hotspot: CpuHotspot, record: RequestRecord | undefined): number {
  if (!record || !(record.cpuMs > 0)) return hotspot.msPerRequest;
  return Math.min(hotspot.share * record.cpuMs, requestTimeMs(record));
}

/**
 * The part of a query's time the process spent waiting for the database: its
 * interval less the synchronous stretches inside it. Those are the driver
 * parsing rows on the main thread (CPU, which the request's CPU counts
 * already) or the process descheduled (no one's): counted as the query's wait
 * as well, the same milliseconds would be charged twice, or to no cause.
 */
export function waitOf(query: QueryRecord, stretches: readonly BlockingStretch[]): number {
  if (query.startMs === undefined) return query.durationMs;
  const start = query.startMs;
  const end = start + query.durationMs;
  let running = 0;
  for (const stretch of stretches) {
    const from = Math.max(start, stretch.startMs);
    const to = Math.min(end, stretch.startMs + stretch.durationMs);
    if (to > from) running += to - from;
  }
  return Math.max(0, query.durationMs - running);
}
