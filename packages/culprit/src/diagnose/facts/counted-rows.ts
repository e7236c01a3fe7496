/**
 * A statement that only counts (`SELECT count(*) FROM tickets WHERE status = $1`, a paginator's total)
 * over so many rows that counting them is the cost: the filter keeps a large share of the table, so the
 * planner reads the table whole, and an index on the filter would only make that a walk of as many index
 * entries. The fix is to count less, not to index. Read from the plan's own row estimates. Pure.
 */
import { formatCount } from '../evidence.js';
import { pgNodeArrow } from './pg-seq-scans.js';
import { PLAN_DIALECT } from './plan-facts.js';

/** From this many counted rows on, counting is the statement's cost whatever its indexes. */
export const MANY_COUNTED = 50_000;

/** `SELECT count(*) [::int] [AS n] FROM …` with nothing else selected and no GROUP BY: one number. */
const ONLY_COUNTS = /^\s*select\s+count\s*\(\s*(?:\*|1|[\w$."`]+)\s*\)\s*(?:::\s*\w+\s*)?(?:as\s+[\w$"`]+\s*)?from\s/i;

/** PostgreSQL's share of a parallel scan's rows each process plans for: the workers and the leader's part. */
function parallelDivisor(workers: number): number {
  const leader = 1 - 0.3 * workers;
  return workers + Math.max(leader, 0);
}

/** The rows a PostgreSQL plan expects its (innermost) Aggregate to count: its input's estimate. */
export function pgCounted(plan: readonly string[]): number {
  const workers = Number(plan.map((line) => /Workers Planned:\s*(\d+)/.exec(line)?.[1]).find(Boolean) ?? 0);
  const aggregate = plan.findLastIndex((line) => /\bAggregate\b/.test(line));
  const input = plan.slice(aggregate + 1).find((line) => pgNodeArrow(line) >= 0);
  const node = input && /->\s*(Parallel )?.*?\brows=(\d+)/.exec(input);
  if (aggregate < 0 || !node?.[2]) return 0;
  // a parallel node's estimate is each process's share, as is whatever a partial aggregate counts (a join in a worker)
  const perProcess = Boolean(node[1]) || /Partial Aggregate/.test(plan[aggregate] ?? '');
  return Number(node[2]) * (perProcess && workers > 0 ? parallelDivisor(workers) : 1);
}

/** The rows a MySQL/MariaDB plan expects to read for its (one) table. */
function myCounted(plan: readonly string[]): number {
  return Math.max(0, ...plan.map((line) => Number(/\brows=(\d+)/.exec(line)?.[1] ?? 0)));
}

/** The rows PostgreSQL expects its largest scan to give (after its own filter), parallel shares summed. */
function pgLargestScan(plan: readonly string[]): number {
  const workers = Number(plan.map((line) => /Workers Planned:\s*(\d+)/.exec(line)?.[1]).find(Boolean) ?? 0);
  let largest = 0;
  for (const line of plan) {
    const scan = /(Parallel )?(?:Seq|Index|Index Only|Bitmap Heap) Scan\b.*?\brows=(\d+)/.exec(line);
    if (!scan?.[2]) continue;
    largest = Math.max(largest, Number(scan[2]) * (scan[1] && workers > 0 ? parallelDivisor(workers) : 1));
  }
  return largest;
}

/** How many rows a counting statement counts, by its plan; undefined when it is not one or counts few. */
export function countedRows(driver: string, plan: readonly string[], sql: string): number | undefined {
  if (!ONLY_COUNTS.test(sql) || /\bgroup\s+by\b/i.test(sql)) return undefined;
  const dialect = PLAN_DIALECT[driver];
  const joined = /\bjoin\b/i.test(sql);
  // a count over a join counts the join's rows, which indexes narrow where the join drops most of a table's
  // rows; a join that keeps about all of them (an ORM's count joining each row's parent, to a small table)
  // counts as many as the table's filter gives: PostgreSQL's plan says both. MySQL's per-table rows do not say
  // what the join keeps; a join counted without a filter is a read no index narrows, said as such.
  if (joined && (dialect !== 'postgresql' || !/\bwhere\b/i.test(sql))) return undefined;
  const rows = dialect === 'postgresql' ? pgCounted(plan) : dialect === 'mysql' ? myCounted(plan) : 0;
  if (joined && rows < KEPT_BY_JOIN * pgLargestScan(plan)) return undefined;
  return rows >= MANY_COUNTED ? Math.round(rows) : undefined;
}

/** A join whose rows are at least this share of its largest scan's narrows nothing an index could. */
const KEPT_BY_JOIN = 0.5;

export function countedHint(table: string, rows: number): string {
  return `: it counts ≈${formatCount(rows)} rows of ${table} to answer with one number, a share of the table no index narrows (one on its filter would only make it a walk of as many index entries)`;
}

export function countedAdvice(table: string): string {
  return `Count less: to tell whether a next page exists, fetch one row more than the page (LIMIT n + 1) instead of counting; for a total people read, keep a count that is updated as ${table} changes, cache it for a while, or show the planner's estimate (PostgreSQL's pg_class.reltuples, EXPLAIN's rows). Then check the request time again (culprit compare).`;
}
