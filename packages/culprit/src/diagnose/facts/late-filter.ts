/**
 * MySQL/MariaDB join plans that start from the wrong table: the first table is read in full and the
 * statement's filter applies only to a table looked up by key for each of its rows. Pure: reads the plan
 * rows and the statement's text.
 */
import { filterColumns, tableOfAlias } from './plan-facts.js';
import { sameQuery } from './statement-columns.js';

export interface LateFilter {
  /** The table the WHERE narrows, looked up once per row of the full read. */
  table: string;
  /** Its columns the WHERE compares. */
  columns: string[];
}

/** Lookups by key, one or a few rows per row of the tables before. */
const KEYED_LOOKUP = /\btype=(?:eq_ref|ref)\b/;

/**
 * The table the statement's filter narrows, when the plan reads `scanned` in full first (it has no filter
 * of its own) and looks that table up by key for each of its rows: every row of `scanned` is read (and
 * sorted) to keep the few that match. No index on `scanned` changes that, not one on its ORDER BY
 * columns either; starting the join from the filtered table does (a follow list's 19 rows, then their
 * authors' articles by index: 0.4 ms, not 57–152 ms).
 */
export function lateFilter(plan: readonly string[], sql: string, scanned: string): LateFilter | undefined {
  if (filterColumns(sql, scanned).length > 0) return undefined;
  let past = false;
  for (const line of plan) {
    const alias = /\btable=(\S+)/.exec(line)?.[1];
    if (!alias || alias.startsWith('<')) continue;
    const table = tableOfAlias(sql, alias);
    if (table.toLowerCase() === scanned.toLowerCase()) {
      past = /\btype=(?:ALL|index)\b/.test(line);
      continue;
    }
    if (!past || !KEYED_LOOKUP.test(line)) continue;
    // a correlated subquery's table (a count of each row's likes) is looked up per row but joins nothing:
    // the order of the join does not move its filter
    if (!sameQuery(sql, table, scanned)) continue;
    const columns = filterColumns(sql, table);
    if (columns.length > 0) return { table, columns };
  }
  return undefined;
}

/** ": the plan reads all of article and sorts it, and looks up user_to_follower for each row, …". */
export function lateFilterHint(scanned: string, sorts: string, late: LateFilter): string {
  return `: the plan reads all of ${scanned}${sorts} and looks up ${late.table} for each row, where the filter on ${late.columns.join(', ')} applies: every row of ${scanned} is read to keep the few that match, and no index on ${scanned} changes that`;
}

/** What starts the join from the filtered table, in SQL the reader can map to their ORM's query. */
export function lateFilterAdvice(scanned: string, late: LateFilter): string {
  return `Start the join from ${late.table}, which the filter narrows: its matching rows first, then ${scanned} by the join's index (a subquery, ${scanned}'s join column IN (SELECT … FROM ${late.table} WHERE ${late.columns.join(' AND ')} …), or STRAIGHT_JOIN in that order); then check the plan again (EXPLAIN) and the request time (culprit compare).`;
}
