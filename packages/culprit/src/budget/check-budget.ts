/**
 * Budgets: limits a test puts on what one request may do (queries, rows,
 * objects built, time), so a fixed performance bug fails CI if it comes
 * back. Pure: a request record in, the broken limits out.
 */
import { queryGroups, queryTotals } from '../capture/query-totals.js';
import type { RequestRecord } from '../capture/types.js';

export interface Budget {
  /** Most SQL queries the request may run. */
  queries?: number;
  /** Most rows all its queries may return together. */
  rows?: number;
  /** Most objects it may construct, in total or per class name. */
  constructions?: number | Record<string, number>;
  /** Most wall time, milliseconds (noisy on shared machines: prefer counts). */
  wallMs?: number;
  /** Longest synchronous stretch allowed, milliseconds. */
  blockingMs?: number;
}

export interface BudgetViolation {
  limit: string;
  allowed: number;
  actual: number;
}

function over(limit: string, allowed: number | undefined, actual: number): BudgetViolation[] {
  return allowed !== undefined && actual > allowed ? [{ limit, allowed, actual }] : [];
}

export function checkBudget(record: RequestRecord, budget: Budget): BudgetViolation[] {
  const queries = queryTotals(record);
  const violations = [
    ...over('queries', budget.queries, queries.count),
    ...over('rows', budget.rows, queries.rows),
    ...over('wall time (ms)', budget.wallMs, record.wallMs),
    ...over('event-loop blocking (ms)', budget.blockingMs, record.blockingMs ?? 0),
  ];
  const limits = budget.constructions;
  if (typeof limits === 'number') {
    const total = record.constructions.reduce((sum, c) => sum + c.count, 0);
    violations.push(...over('constructions', limits, total));
  } else if (limits) {
    for (const [className, allowed] of Object.entries(limits)) {
      const actual = record.constructions.filter((c) => c.className === className).reduce((sum, c) => sum + c.count, 0);
      violations.push(...over(`${className} constructions`, allowed, actual));
    }
  }
  return violations;
}

/** One readable message for a test failure: what was allowed, what happened, where the rows came from. */
export function describeViolations(record: RequestRecord, violations: BudgetViolation[]): string {
  const lines = [`${record.method} ${record.url} broke its performance budget:`];
  for (const v of violations)
    lines.push(`  ${v.limit}: ${v.actual.toLocaleString('en-US')} (budget ${v.allowed.toLocaleString('en-US')})`);
  let heaviest: { rows: number; count: number; file: string; line: number } | undefined;
  for (const group of queryGroups(record)) {
    const rows = group.rows / group.count; // a fold's rows are a sum: compare per query
    if (group.location && rows > (heaviest?.rows ?? 0)) {
      heaviest = { rows, count: group.count, file: group.location.file, line: group.location.line };
    }
  }
  if (heaviest) {
    const rows = Math.round(heaviest.rows).toLocaleString('en-US');
    const each = heaviest.count > 1 ? ` (average of ${heaviest.count.toLocaleString('en-US')} folded queries)` : '';
    lines.push(`  largest query: ${rows} rows${each} from ${heaviest.file}:${heaviest.line}`);
  }
  return lines.join('\n');
}
