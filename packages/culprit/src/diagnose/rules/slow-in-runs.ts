/**
 * Whether a statement is slow in a run of its endpoint: by its own time, by its share of the run (judged
 * against the run's time outside the N+1 loops beside it), and at a smaller share when its plan reads a
 * whole table only to filter it. Pure.
 */
import type { RequestRecord } from '../../capture/types.js';
import { lateFilter } from '../facts/late-filter.js';
import { filteredScans, readPlan } from '../facts/plan-facts.js';
import type { QueryFact } from '../facts/query-facts.js';
import type { RequestFacts } from '../facts/request-facts.js';
import { settings } from '../settings.js';

export function isSlow(durationMs: number, requestMs: number, scansToFilter = false): boolean {
  const share = durationMs / Math.max(requestMs, durationMs, 1e-9);
  return (
    durationMs >= settings.slowQueryMs ||
    (durationMs >= settings.slowQueryMinMs && share >= settings.slowQueryShare) ||
    (scansToFilter && durationMs >= settings.unindexedFilterMinMs && share >= settings.unindexedFilterShare)
  );
}

/**
 * A run's time outside the statements it repeats as an N+1 does (>= repeatAbsolute, or once per item),
 * `sql` itself kept: the loop is its own finding, and once it is fixed a scan beside it is most of what is
 * left, so the scan's share is judged against that rest (a 67 ms scan beside a 400 ms loop is not 17%).
 */
export function beyondLoops(run: RequestRecord, sql: string): number {
  const repeats = new Map<string, { count: number; ms: number }>();
  for (const query of run.queries) {
    const seen = repeats.get(query.sql) ?? { count: 0, ms: 0 };
    repeats.set(query.sql, { count: seen.count + 1, ms: seen.ms + query.durationMs });
  }
  let looped = 0;
  for (const [statement, { count, ms }] of repeats) {
    const perItem = count >= settings.repeatPerItemMin && count >= (run.items ?? Number.POSITIVE_INFINITY);
    if (statement !== sql && (count >= settings.repeatAbsolute || perItem)) looped += ms;
  }
  return Math.max(run.wallMs - looped, 0);
}

/**
 * The plan reads a whole table only to filter it, or to sort it for the first rows of a LIMIT: an index
 * is sure to help, so a smaller share is slow.
 */
export function scansToFilter(query: QueryFact): boolean {
  if (query.plan === undefined) return false;
  if (filteredScans(query.driver, query.plan, query.sql).length > 0) return true;
  const reading = readPlan(query.driver, query.plan, query.sql);
  // a join read whole from its unfiltered table, filtered per row by a later one, reads all of it to filter too
  const [first] = reading.scanned;
  if (first && lateFilter(query.plan, query.sql, first)) return true;
  return reading.scanned.length > 0 && reading.sorted && /\border\s+by\b[\s\S]*\blimit\b/i.test(query.sql);
}

/**
 * Runs of the endpoint in which the same statement was slow too. A run's share is judged against the
 * typical run's time when the run took longer: a run slowed by something else (a cold first run building
 * what the app builds once, 61 ms beside 13 ms) makes the statement no smaller, and a statement slow only
 * once is still slow in one run only.
 */
export function slowInRuns(request: RequestFacts, query: QueryFact): number {
  let slow = 0;
  const scans = scansToFilter(query);
  const typicalMs = beyondLoops(request.request, query.sql);
  for (const run of request.runs) {
    const same = run.queries.filter((q) => q.sql === query.sql);
    const runMs = Math.min(beyondLoops(run, query.sql), typicalMs);
    if (same.some((q) => isSlow(q.durationMs, runMs, scans))) slow++;
  }
  return slow;
}
