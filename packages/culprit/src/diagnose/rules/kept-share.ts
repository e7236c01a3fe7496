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

/**
 * From this share of the rows read on, a filter is narrowed by no index: reading the table through one would
 * visit as many rows, one lookup each (MySQL's own optimizer gives up an index well before this share).
 */
export const UNSELECTIVE_SHARE = 0.3;

/** The share of a table read in full that its filter keeps, when MariaDB measured it and it is most of the rows. */
export function unselectiveShare(reading: PlanReading | undefined, table: string): number | undefined {
  const kept = reading?.filterKept?.[table];
  return kept !== undefined && kept >= UNSELECTIVE_SHARE ? kept : undefined;
}

export function unselectiveHint(table: string, sorts: string, kept: number): string {
  return `: the plan reads all of ${table}${sorts}, and its filter keeps ${Math.round(kept * 100)}% of the rows (measured by ANALYZE), so no index on the filter narrows the read`;
}

export const UNSELECTIVE_ADVICE = `The statement's time is the rows it must read: read fewer (a narrower filter, a page, a join that starts from the few rows wanted), or keep its answer (a cache, a counter kept up to date where the rows are written); then check the request time (culprit compare).`;
