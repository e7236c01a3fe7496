/**
 * How much of a statement's interval was its callback waiting behind other synchronous work on the event
 * loop rather than the database answering: a read held behind seconds of an ORM's matching measures those
 * seconds. Pure.
 */
import type { RequestRecord } from '../../capture/types.js';
import type { QueryFact } from './query-facts.js';
import { SYNC_DRIVERS } from './sync-queries.js';

/** A generous bound on the main-thread time a driver takes to turn one returned row into an object (node-sqlite3: 64 ms for 4,893 rows, the statement included). */
const PARSE_MS_PER_ROW = 0.02;

/**
 * The part of a statement's interval its result waited behind other work on the event loop: the loop ran
 * synchronous stretches inside it (waitMs says how much it did not) beyond what turning its rows into
 * objects could take. An ORM matching one relation's rows for seconds held the callback of the next
 * relation's 11 ms read, which then measured 12 s.
 */
export function queuedBehindLoop(query: QueryFact, record: RequestRecord): number {
  if (SYNC_DRIVERS.has(query.driver) || query.waitMs === undefined) return 0;
  // a stretch is a late timer: on a loaded machine the process was descheduled, running nothing, for part of
  // it; only as much of the stretches as the request had CPU for was other work
  const stretchesMs = (record.blocking ?? []).reduce((sum, stretch) => sum + stretch.durationMs, 0);
  const working = stretchesMs > 0 ? Math.min(1, record.cpuMs / stretchesMs) : 1;
  return Math.max(0, (query.durationMs - query.waitMs) * working - query.rows * PARSE_MS_PER_ROW);
}
