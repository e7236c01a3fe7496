/**
 * MySQL/MariaDB join plans that read an unfiltered table in full first, when the statement says which
 * table the join should start from: the table its WHERE narrows (late-filter.ts), the table a filter on a
 * one-row table reaches through a join column no index of it leads with, or the table whose columns its
 * ORDER BY … LIMIT pages. Pure: reads the plan rows and the statement's text.
 */
import { type LateFilter, lateFilter, lateFilterAdvice, lateFilterHint } from './late-filter.js';
import { filterColumns, indexColumns, tableOfAlias } from './plan-facts.js';
import { sameQuery } from './statement-columns.js';

/** The filter pins `via` to one row (the plan reads it `const`); `table` is joined to it by `column`. */
export interface ReachedFilter {
  table: string;
  column: string;
  via: string;
  viaColumns: string[];
}

/** The ORDER BY names only `columns` of `table`, a table the plan joins after the full read. */
export interface LateOrder {
  table: string;
  columns: string[];
  /** SQL_CALC_FOUND_ROWS: the server builds every row of the join to count it, whatever the order. */
  countsAll: boolean;
}

export type LateJoin =
  | ({ kind: 'filter' } & LateFilter)
  | ({ kind: 'reach' } & ReachedFilter)
  | ({ kind: 'order' } & LateOrder);

interface PlanRow {
  table: string;
  type: string;
}

function planRows(plan: readonly string[], sql: string): PlanRow[] {
  return plan.flatMap((line) => {
    const alias = /\btable=(\S+)/.exec(line)?.[1];
    const type = /\btype=(\S+)/.exec(line)?.[1];
    return alias && type && !alias.startsWith('<') ? [{ table: tableOfAlias(sql, alias), type }] : [];
  });
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
const ONE_ROW = /^(?:const|system)$/;
const KEYED = /^(?:eq_ref|ref)$/;

/** The tables looked up by key, once per row, after `scanned`'s full read (the plan's first table that is not one row). */
function lookedUpAfter(rows: readonly PlanRow[], scanned: string): PlanRow[] | undefined {
  const first = rows.findIndex((row) => !ONE_ROW.test(row.type));
  const driving = rows[first];
  if (!driving || !same(driving.table, scanned) || !/^(?:ALL|index)$/.test(driving.type)) return undefined;
  return rows.slice(first + 1).filter((row) => KEYED.test(row.type));
}

/**
 * `(table, column)` pairs an equality joins to `via`: `ON x.k = v.k`, or `JOIN via USING (k)` (the column
 * of the table joined just before it, which the statement names in its own ON or FROM).
 */
function joinedTo(sql: string, via: string): Array<{ table: string; column: string }> {
  const text = sql.replace(/\s+/g, ' ');
  const found: Array<{ table: string; column: string }> = [];
  const term = /[`"]?([\w$]+)[`"]?\.[`"]?([\w$]+)[`"]?\s*=\s*[`"]?([\w$]+)[`"]?\.[`"]?([\w$]+)[`"]?/g;
  for (const [, leftAlias, left, rightAlias, right] of text.matchAll(term)) {
    if (!leftAlias || !left || !rightAlias || !right) continue;
    const [a, b] = [tableOfAlias(text, leftAlias), tableOfAlias(text, rightAlias)];
    if (same(a, via) && !same(b, via)) found.push({ table: b, column: right });
    if (same(b, via) && !same(a, via)) found.push({ table: a, column: left });
  }
  const escaped = via.replace(/[$]/g, '\\$&');
  const using = new RegExp(
    `\\bjoin\\s+[\`"]?([\\w$]+)[\`"]?(?:\\s+(?:as\\s+)?[\`"]?[\\w$]+[\`"]?)?(?:\\s+on\\b(?:(?!\\bjoin\\b)[^()])*?)?\\s+join\\s+[\`"]?${escaped}[\`"]?(?:\\s+(?:as\\s+)?[\`"]?[\\w$]+[\`"]?)?\\s+using\\s*\\(\\s*[\`"]?([\\w$]+)[\`"]?\\s*\\)`,
    'i',
  ).exec(text);
  if (using?.[1] && using[2]) found.push({ table: using[1], column: using[2] });
  return found;
}

/**
 * A filter on a table the plan reads as one row (a tag by its name) reaches the rows it selects only
 * through a join column of another table (the tag's articles by tag id). When no index of that table
 * leads with the column, the server cannot start the join from the filter: it reads an unfiltered table
 * whole and looks the joined table up by its other key for each row, keeping the few that match. An
 * index led by the join column lets the plan go from the one row to its matches (10.6 s to 0.7 ms).
 */
export function reachedFilter(plan: readonly string[], sql: string, scanned: string): ReachedFilter | undefined {
  const rows = planRows(plan, sql);
  const after = lookedUpAfter(rows, scanned);
  if (!after || filterColumns(sql, scanned).length > 0) return undefined;
  for (const pinned of rows.filter((row) => ONE_ROW.test(row.type))) {
    const viaColumns = filterColumns(sql, pinned.table);
    if (viaColumns.length === 0) continue;
    for (const { table, column } of joinedTo(sql, pinned.table)) {
      if (same(table, scanned) || !sameQuery(sql, table, scanned)) continue;
      if (after.some((row) => same(row.table, table))) return { table, column, via: pinned.table, viaColumns };
    }
  }
  return undefined;
}

/**
 * A page (ORDER BY … LIMIT) ordered by the columns of a table the plan joins after reading another,
 * unfiltered and unordered, in full: the server builds every row of the join and sorts them all
 * (`Using filesort`) to keep the page. Started from the ordered table, the join walks that table in
 * the order's index and stops at the page (1.7–2.0 s to 0.2–0.4 ms for 10 of 100,000 articles).
 */
export function lateOrder(plan: readonly string[], sql: string, scanned: string): LateOrder | undefined {
  if (!/\border\s+by\b[^()]*\blimit\b[^()]*$/i.test(sql.replace(/\s+/g, ' '))) return undefined;
  if (!plan.some((line) => /filesort/i.test(line))) return undefined;
  if (indexColumns(sql, scanned).length > 0) return undefined;
  const after = lookedUpAfter(planRows(plan, sql), scanned);
  for (const row of after ?? []) {
    if (!sameQuery(sql, row.table, scanned) || filterColumns(sql, row.table).length > 0) continue;
    const columns = indexColumns(sql, row.table);
    if (columns.length > 0) return { table: row.table, columns, countsAll: /\bSQL_CALC_FOUND_ROWS\b/i.test(sql) };
  }
  return undefined;
}

/** The table the join should start from, when the plan starts from `scanned`, read whole and unfiltered. */
export function lateJoin(plan: readonly string[], sql: string, scanned: string): LateJoin | undefined {
  // without a LIMIT an index on the sort column is walked whole: only starting from the filtered table helps
  const late = /\blimit\b/i.test(sql) ? undefined : lateFilter(plan, sql, scanned);
  if (late) return { kind: 'filter', ...late };
  const reached = reachedFilter(plan, sql, scanned);
  if (reached) return { kind: 'reach', ...reached };
  const order = lateOrder(plan, sql, scanned);
  return order ? { kind: 'order', ...order } : undefined;
}

const reachIndex = (late: ReachedFilter): string => `CREATE INDEX ON ${late.table} (${late.column})`;

/** The title's reason: why every row of `scanned` is read. */
export function lateJoinHint(scanned: string, sorts: string, late: LateJoin): string {
  if (late.kind === 'filter') return lateFilterHint(scanned, sorts, late);
  if (late.kind === 'reach')
    return `: the plan reads all of ${scanned}${sorts}, since the filter on ${late.via} (${late.viaColumns.join(', ')}) reaches ${late.table} only through ${late.column}, which no index of ${late.table} leads with (${reachIndex(late)})`;
  return `: the plan reads all of ${scanned} and sorts the whole join to keep a page ordered by ${late.table} (${late.columns.join(', ')})${late.countsAll ? ', and SQL_CALC_FOUND_ROWS builds every row of it anyway' : ''}`;
}

/** What starts the join where the statement's filter or order is, in SQL the reader can map to their ORM's query. */
export function lateJoinAdvice(scanned: string, late: LateJoin): string {
  const then = 'then check the plan again (EXPLAIN) and the request time (culprit compare).';
  if (late.kind === 'filter') return lateFilterAdvice(scanned, late);
  if (late.kind === 'reach')
    return `${reachIndex(late)}, so the join can start from the ${late.via} row the filter selects and read its ${late.table} rows by ${late.column}; no index on ${scanned} helps, it is not filtered; ${then}`;
  const count = late.countsAll
    ? ', and count apart (SELECT COUNT(*) … with the same filter) instead of SQL_CALC_FOUND_ROWS, which makes the server build and count every row of the join'
    : '';
  return `Start the join from ${late.table}, read in the ORDER BY's order through an index led by ${late.columns.join(', ')} (its primary key, or CREATE INDEX ON ${late.table} (${late.columns.join(', ')})), so the walk stops at the page (STRAIGHT_JOIN with ${late.table} first, or a subquery that pages ${late.table}'s keys and joins the rest to them)${count}; no index on ${scanned} helps, it is neither filtered nor ordered; ${then}`;
}
