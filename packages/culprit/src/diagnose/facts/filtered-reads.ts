/**
 * Rows a plan reads through an index and then filters or sorts whole: a
 * PostgreSQL bitmap read whose Filter keeps few of the rows its index found,
 * a MySQL/MariaDB range or key read filtered by a WHERE, a range sorted whole
 * for one page. The index does not hold the filter's (or the sort's) columns.
 * Pure: reads the plan lines and the statement's text.
 */
import { pgNodeArrow } from './pg-seq-scans.js';
import { filterColumns, tableOfAlias } from './statement-columns.js';
import { wrappedColumns } from './wrapped-columns.js';

export interface FilteredRead {
  table: string;
  /** The index the rows came through. */
  index: string;
  /** Rows the index is estimated to give (a bitmap scan's index child shows them); absent where the plan has no estimate (SQLite). */
  readRows?: number;
  /** Rows estimated to pass the filter; absent where the plan does not say (MariaDB's EXPLAIN has no `filtered`). */
  keptRows?: number;
  /**
   * The table read in full, unfiltered, ahead of this one: every one of its rows looks this table up by
   * the join's index, so the lookups together read about all of this table, to filter it on columns no
   * index serves (MariaDB drives a lookup by an unindexed column from the joined table it can read in full).
   */
  drivenBy?: string;
  /**
   * The rows are not filtered but sorted: the index finds a range (a tenant's rows) that a sort then orders
   * whole to return one page (ORDER BY … LIMIT). An index that holds the sort's columns after the filter's
   * gives the page in order, reading only its rows.
   */
  sortedForPage?: true;
}

/** A PostgreSQL bitmap read of a table: the Filter under it is applied row by row to what its index found. */
const PG_INDEX_READ = /Bitmap Heap Scan on (?:"?[\w$]+"?\.)?"?([\w$]+)"?.*?\brows=(\d+)/;
const PG_BITMAP_INDEX = /Bitmap Index Scan on "?([\w$]+)"?.*?\brows=(\d+)/;
/** A bitmap scan whose index gives at most this many times the rows kept filters too little to matter. */
const FILTER_DISCARDS = 2;

/** Rows of an index read a sort orders whole for one page, below which the sort is cheap. */
const PG_WIDE_SORT = 1000;

/** The node at `at` is the input of a Sort (its parent) under a Limit: all of its rows are sorted for a page. */
function sortsForLimit(plan: readonly string[], at: number): boolean {
  const above = plan.slice(0, at).filter((line, i) => i === 0 || pgNodeArrow(line) >= 0);
  const parent = above.at(-1) ?? '';
  return (
    /\bSort\b/.test(parent) &&
    !/Incremental Sort/.test(parent) &&
    above.some((line) => /^\s*(?:->\s*)?Limit\b/.test(line))
  );
}

export function pgFilteredReads(plan: readonly string[]): FilteredRead[] {
  const reads: FilteredRead[] = [];
  for (let i = 0; i < plan.length; i++) {
    const node = PG_INDEX_READ.exec(plan[i] ?? '');
    if (!node?.[1]) continue;
    let filtered = false;
    let index: { name: string; rows: number } | undefined;
    // the node's own detail lines, then (for a bitmap scan) its index child
    for (let j = i + 1; j < plan.length; j++) {
      const line = plan[j] ?? '';
      const bitmap = PG_BITMAP_INDEX.exec(line);
      if (bitmap?.[1]) {
        index = { name: bitmap[1], rows: Number(bitmap[2]) };
        break;
      }
      if (pgNodeArrow(line) >= 0) break;
      if (/^\s*Filter:/.test(line)) filtered = true;
    }
    // a plain index scan's estimate is of the rows kept: how many it walks to find them is not in the plan
    const keptRows = Number(node[2]);
    if (filtered && index && index.rows > FILTER_DISCARDS * Math.max(keptRows, 1)) {
      reads.push({ table: node[1], index: index.name, readRows: index.rows, keptRows });
    } else if (index && keptRows >= PG_WIDE_SORT && sortsForLimit(plan, i)) {
      reads.push({ table: node[1], index: index.name, readRows: keptRows, sortedForPage: true });
    }
  }
  return reads;
}

/** MySQL join types that read rows through an index by a key (not a full scan, not one row by a unique key). */
const MY_INDEX_READ = new Set(['ref', 'range', 'ref_or_null', 'index_merge']);
/** ... and by a unique key: one row per row of the tables before it, which a WHERE may still filter. */
const MY_JOIN_READ = new Set([...MY_INDEX_READ, 'eq_ref']);
/** Rows read through an index before a WHERE filters them, below which the extra reading is cheap. */
const MY_WIDE_READ = 1000;

/**
 * MySQL/MariaDB: a table read through an index (`type=ref`/`range`) whose rows a WHERE then filters
 * (`Using where`): in a nested-loop join a row's `rows` are per row of the tables before it, so what is
 * read in all is their product. MySQL says how much the filter keeps (`filtered`, percent); MariaDB's
 * EXPLAIN does not, and a wide read that is filtered at all is then reported without that figure.
 */
export function myFilteredReads(plan: readonly string[], sql: string | undefined): FilteredRead[] {
  const reads: FilteredRead[] = [];
  let outerRows = 1;
  let drivenBy: string | undefined;
  let block: string | undefined;
  for (const line of plan) {
    const field = (name: string): string | undefined => new RegExp(`\\b${name}=(\\S+)`).exec(line)?.[1];
    // another SELECT of the statement (a derived table, a UNION's part, a subquery) is a nested loop of its
    // own, run once and materialized; only a DEPENDENT one runs again for each row of the SELECT around it
    const id = field('id');
    if (id !== block) {
      if (block !== undefined && field('select_type') !== 'DEPENDENT') {
        outerRows = 1;
        drivenBy = undefined;
      }
      block = id;
    }
    const rows = Number(field('rows') ?? 1) || 1;
    const type = field('type') ?? '';
    const index = field('key');
    const alias = field('table');
    const readRows = rows * outerRows;
    outerRows = readRows;
    // a subquery's result drives nothing the statement could index: its own reads are further down the plan
    if (!alias || alias.startsWith('<')) continue;
    const table = tableOfAlias(sql, alias);
    // a full read the statement does not filter (the whole table, or the whole of one of its indexes:
    // type=index, TypeORM's join of a many-to-one read through its index): it only feeds the join
    if (
      /\btype=(?:ALL|index)\b/.test(line) &&
      !/Using where/i.test(line) &&
      sql &&
      filterColumns(sql, table).length === 0
    ) {
      drivenBy ??= table;
      continue;
    }
    if (sortedForPage(type, index, rows, line, sql)) {
      reads.push({ table, index: index as string, readRows, sortedForPage: true });
      continue;
    }
    if (!index || index === 'NULL' || !/Extra=.*Using where/.test(line)) continue;
    const driven = drivenBy !== undefined && MY_JOIN_READ.has(type) && sql !== undefined && filtersTable(sql, table);
    if (driven && readRows >= MY_WIDE_READ) {
      reads.push({ table, index, readRows, drivenBy: drivenBy as string });
      continue;
    }
    if (!MY_INDEX_READ.has(type) || rows < MY_WIDE_READ) continue;
    // a range or key read of a covering index (`Using index`, not ICP's `Using index condition`): the WHERE is
    // checked on the index entries read, every column it names being in them, with no row read to filter
    if ((type === 'range' || type === 'ref') && /Using index(?! condition)/.test(line)) continue;
    // a key read (`ref`: an equality on the key's leading column) when the WHERE compares no other column of the
    // table: the key is the whole filter and MariaDB's `Using where` rechecks what the key matched, discarding none
    if (type === 'ref' && sql !== undefined && filterColumns(sql, table).length === 1) continue;
    const filtered = Number(field('filtered'));
    const keptRows = Number.isFinite(filtered) ? Math.round((readRows * filtered) / 100) : undefined;
    if (keptRows !== undefined && readRows <= FILTER_DISCARDS * Math.max(keptRows, 1)) continue;
    reads.push({ table, index, readRows, ...(keptRows === undefined ? {} : { keptRows }) });
  }
  return reads;
}

/** MySQL/MariaDB: a wide range or key read that a filesort orders whole for a page of it. */
function sortedForPage(type: string, index: string | undefined, rows: number, line: string, sql?: string): boolean {
  return (
    index !== undefined &&
    index !== 'NULL' &&
    MY_INDEX_READ.has(type) &&
    rows >= MY_WIDE_READ &&
    /Extra=.*filesort/i.test(line) &&
    /\blimit\b/i.test(sql ?? '')
  );
}

/**
 * The WHERE compares a column of `table`, bare or wrapped in a function (`DATE(i.issued_at) = ?`): a
 * wrapped one is why the plan starts from another table, read whole, and looks this one up per row.
 */
function filtersTable(sql: string, table: string): boolean {
  if (filterColumns(sql, table).length > 0) return true;
  return wrappedColumns(sql).some((w) => w.qualifier !== undefined && tableOfAlias(sql, w.qualifier) === table);
}
