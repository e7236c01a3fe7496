/**
 * Slow statements judged together: several reads of one table for one filter (a list's page and its
 * count, one index), and reads of different tables each whole to filter (each its own index), when none is
 * slow alone. Pure.
 */

import { lineKey } from '../facts/app-frames.js';
import type { PgSeqScan } from '../facts/pg-seq-scans.js';
import { isCheapPlan } from '../facts/plan-cost.js';
import { keyColumns, readPlan } from '../facts/plan-facts.js';
import type { QueryFact } from '../facts/query-facts.js';
import type { RequestFacts } from '../facts/request-facts.js';
import { settings } from '../settings.js';
import { isSlow, scansToFilter } from './slow-in-runs.js';

export const identity = (fact: QueryFact): string =>
  `${fact.sql}\u0000${fact.statementLine ? lineKey(fact.statementLine) : ''}`;

/**
 * Statements of one request whose plans read one table in full for the same filter (a list's page and
 * its count): one missing index costs the sum of their times, slow by the same measure in most runs
 * when none of them is on its own (each then under its share). Statements already reported are left out.
 */
export function sharedScans(request: RequestFacts, reported: ReadonlySet<string>): QueryFact[][] {
  const byIndex = new Map<string, QueryFact[]>();
  for (const query of request.queries) {
    if (!query.plan || reported.has(identity(query)) || !scansToFilter(query) || isCheapPlan(query)) continue;
    const reading = readPlan(query.driver, query.plan, query.sql);
    const table = reading.scanned[0];
    const column = table ? keyColumns(table, query.sql, planKey(reading.scans, table))[0] : undefined;
    if (!table || !column) continue;
    const key = `${table.toLowerCase()}\u0000${column}`;
    const group = byIndex.get(key) ?? [];
    if (!group.some((q) => q.sql === query.sql)) byIndex.set(key, [...group, query]);
  }
  return [...byIndex.values()].filter((group) => {
    if (group.length < 2) return false;
    const statements = new Set(group.map((q) => q.sql));
    let slow = 0;
    for (const run of request.runs) {
      const ms = run.queries.filter((q) => statements.has(q.sql)).reduce((sum, q) => sum + q.durationMs, 0);
      if (isSlow(ms, Math.min(run.wallMs, request.request.wallMs), true)) slow++;
    }
    return slow * 2 > request.runs.length;
  });
}

/**
 * Statements each reading a whole table to filter it (each its own index), none slow alone nor sharing a
 * scan, that together take the share one such statement must take to be slow, in most runs: each is
 * reported with its own index. Each takes at least the floor one such statement needs.
 */
export function unindexedTogether(
  request: RequestFacts,
  reported: ReadonlySet<string>,
  grouped: readonly QueryFact[],
): QueryFact[] {
  const candidates = request.queries.filter(
    (q) =>
      !reported.has(identity(q)) &&
      !grouped.includes(q) &&
      q.durationMs / q.count >= settings.unindexedFilterMinMs &&
      scansToFilter(q) &&
      // a cheap plan's time is a wait (plan-cost.ts), alone or summed with others
      !isCheapPlan(q),
  );
  if (new Set(candidates.map((q) => q.sql)).size < 2) return [];
  const statements = new Set(candidates.map((q) => q.sql));
  let slow = 0;
  for (const run of request.runs) {
    const ms = run.queries.filter((q) => statements.has(q.sql)).reduce((sum, q) => sum + q.durationMs, 0);
    if (isSlow(ms, Math.min(run.wallMs, request.request.wallMs), true)) slow++;
  }
  return slow * 2 > request.runs.length ? candidates : [];
}

/**
 * What PostgreSQL's scan of `table` compares: its Filter's columns, else the join columns it is probed by;
 * none when the scan has neither (only an ORDER BY may then want an index); undefined without such a plan.
 */
export function planKey(scans: readonly PgSeqScan[] | undefined, table: string): string[] | undefined {
  const scan = scans?.find((s) => s.table === table);
  if (!scan) return undefined;
  return scan.filterColumns.length > 0 ? scan.filterColumns : (scan.probes?.columns ?? []);
}
