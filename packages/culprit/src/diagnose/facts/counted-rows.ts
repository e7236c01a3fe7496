/**
 * A statement that only counts (`SELECT count(*) FROM tickets WHERE status = $1`, a paginator's total)
 * over so many rows that counting them is the cost: the filter keeps a large share of the table, so the
 * planner reads the table whole, and an index on the filter would only make that a walk of as many index
 * entries. The fix is to count less, not to index. Read from the plan's own row estimates. Pure.
 */
import { formatCount } from '../evidence.js';
import { PLAN_DIALECT } from './plan-facts.js';

/** From this many counted rows on, counting is the statement's cost whatever its indexes. */
export const MANY_COUNTED = 50_000;

/** `SELECT count(*) [::int] [AS n] FROM …` with nothing else selected and no GROUP BY: one number. */
const ONLY_COUNTS = /^\s*select\s+count\s*\(\s*(?:\*|1|[\w$."`]+)\s*\)\s*(?:::\s*\w+\s*)?(?:as\s+[\w$"`]+\s*)?from\s/i;

/** PostgreSQL's share of a parallel scan's rows each process plans for: the workers and the leader's part. */
function parallelDivisor(workers: number): number {
  const leader = 1 - 0.3 * workers;
  return workers + (leader > 0 ? leader : 0);
}

/** The rows a PostgreSQL plan expects its (innermost) Aggregate to count: its input's estimate. */
function pgCounted(plan: readonly string[]): number {
  const workers = Number(plan.map((line) => /Workers Planned:\s*(\d+)/.exec(line)?.[1]).find(Boolean) ?? 0);
  const aggregate = plan.findLastIndex((line) => /\bAggregate\b/.test(line));
  const input = plan.slice(aggregate + 1).find((line) => /->/.test(line));
  const node = input && /->\s*(Parallel )?.*?\brows=(\d+)/.exec(input);
  if (aggregate < 0 || !node?.[2]) return 0;
  // a parallel node's estimate is each process's share
  return Number(node[2]) * (node[1] && workers > 0 ? parallelDivisor(workers) : 1);
}

/** The rows a MySQL/MariaDB plan expects to read for its (one) table. */
function myCounted(plan: readonly string[]): number {
  return Math.max(0, ...plan.map((line) => Number(/\brows=(\d+)/.exec(line)?.[1] ?? 0)));
}

/** How many rows a counting statement counts, by its plan; undefined when it is not one or counts few. */
export function countedRows(driver: string, plan: readonly string[], sql: string): number | undefined {
  // a count over a join counts the join's rows, which its indexes do narrow
  if (!ONLY_COUNTS.test(sql) || /\b(?:group\s+by|join)\b/i.test(sql)) return undefined;
  const dialect = PLAN_DIALECT[driver];
  const rows = dialect === 'postgresql' ? pgCounted(plan) : dialect === 'mysql' ? myCounted(plan) : 0;
  return rows >= MANY_COUNTED ? Math.round(rows) : undefined;
}

export function countedHint(table: string, rows: number): string {
  return `: it counts ≈${formatCount(rows)} rows of ${table} to answer with one number, a share of the table no index narrows (one on its filter would only make it a walk of as many index entries)`;
}

export function countedAdvice(table: string): string {
  return `Count less: to tell whether a next page exists, fetch one row more than the page (LIMIT n + 1) instead of counting; for a total people read, keep a count that is updated as ${table} changes, cache it for a while, or show the planner's estimate (PostgreSQL's pg_class.reltuples, EXPLAIN's rows). Then check the request time again (culprit compare).`;
}
