/**
 * How much of a slow statement's time an index would save, from what its plan
 * reads against what it returns: rows the statement returns are read and sent
 * with or without an index. Pure.
 */
import type { PlanReading } from '../facts/plan-facts.js';
import type { QueryFact } from '../facts/query-facts.js';

/** What a statement that keeps nearly every row it reads still saves by an index (its sort, its pages). */
export const MIN_UNREAD_SHARE = 0.1;

/**
 * The share of the rows a one-table statement reads in full that it returns (MySQL/MariaDB plans say how
 * many they examine): an export of 50,000 of 80,000 rows keeps most of what it reads, and the time goes
 * to reading and sending them whatever the index. Undefined when the plan does not say.
 */
export function keptShare(
  query: QueryFact,
  statementTable: string | undefined,
  scannedTable: string | undefined,
  reading: PlanReading | undefined,
): number | undefined {
  const examined = scannedTable ? reading?.scannedRows?.[scannedTable] : undefined;
  if (!examined || scannedTable !== statementTable || !query.rowsKnown || /\bjoin\b/i.test(query.sql)) return undefined;
  return Math.min(1, query.rows / Math.max(query.count, 1) / examined);
}
