/**
 * What a query plan says, for PostgreSQL's, MySQL/MariaDB's and SQLite's
 * EXPLAIN output: which tables are read in full, whether rows are sorted
 * after reading, and the index that would serve the statement's filter and
 * order. Pure: reads the plan lines and the statement's text.
 */

import { fullMyRead, myPlanTable, mySelectId, tinyFirstRead } from './my-plan-rows.js';
import { type PgSeqScan, pgNodeArrow, pgSeqScans } from './pg-seq-scans.js';
import { searchedColumn } from './searched-column.js';
import { sqliteFilteredReads } from './sqlite-filtered-reads.js';
import { filterColumns, indexColumns, joinKeyColumns, tableOfAlias } from './statement-columns.js';
import { wrappedColumns } from './wrapped-columns.js';

export { filterColumns, indexColumns, tableOfAlias };

export interface PlanReading {
  /** Tables read row by row, without an index. */
  scanned: string[];
  /** The rows are sorted after reading (no index gives the order). */
  sorted: boolean;
  /** MySQL/MariaDB: the table whose plan row sorts (`Using filesort`): the rows it and those joined after give. */
  sortedTable?: string;
  /**
   * Tables read through an index that serves only part of the filter: the
   * rest is a Filter over what the index found (PostgreSQL plans), so the
   * index reads many more rows than the statement keeps.
   */
  filteredReads?: FilteredRead[];
  /**
   * Tables SQLite reads in full to build a nested join or subquery whole (`MATERIALIZE`) before the outer
   * rows meet it: the outer filter does not reach inside, so every row of it is read for any request.
   */
  materialized?: string[];
  /**
   * PostgreSQL: the scans behind `scanned`, costliest first, each with the columns its own Filter compares
   * (the index key, whatever nesting the statement's text has) and whether a Sort above it orders its rows.
   */
  scans?: PgSeqScan[];
  /** MySQL/MariaDB: the rows the plan expects to examine in each table it reads in full (its `rows`). */
  scannedRows?: Record<string, number>;
  /**
   * MariaDB, measured by running the statement (ANALYZE's `r_filtered`): the share (0–1) of the rows read
   * from each table read in full that its filter kept.
   */
  filterKept?: Record<string, number>;
}

/**
 * A scan the plan expects to cost under SMALL_SCAN_COST (about a hundred pages) is a small table read in
 * passing when nothing filters it (a lookup table joined whole), or when it filters it for under this share
 * of the whole plan: it is not why the statement is slow, and PostgreSQL would not use an index on it.
 */
const NEGLIGIBLE_SCAN_SHARE = 0.1;
const SMALL_SCAN_COST = 100;
/**
 * A scan the plan expects to cost under this (a few pages) reads in well under a millisecond: a statement slow
 * around it waited for something else (a connection, a loaded machine), whatever share of the plan it is.
 */
const TINY_SCAN_COST = 10;
/** PostgreSQL's own catalogs (`pg_class`, `pg_description`…), read by schema introspection: no app indexes them. */
const SYSTEM_CATALOG = /^pg_/;

function pgScans(plan: readonly string[]): PgSeqScan[] {
  return pgSeqScans(plan)
    .filter(
      (scan) =>
        !SYSTEM_CATALOG.test(scan.table) &&
        scan.cost >= TINY_SCAN_COST &&
        (scan.cost >= SMALL_SCAN_COST ||
          (scan.filterColumns.length > 0 && scan.cost >= NEGLIGIBLE_SCAN_SHARE * scan.planCost)),
    )
    .sort((a, b) => b.cost - a.cost);
}

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

/** PostgreSQL: bitmap reads whose index gives many more rows than the Filter over them keeps. */
const PG_PLAIN_INDEX_READ = /Index (?:Only )?Scan(?: Backward)? using "?[\w$]+"? on (?:"?[\w$]+"?\.)?"?([\w$]+)"?/;

/**
 * PostgreSQL: tables read through an index with no Index Cond, only a Filter: the index gives its order (an
 * ORDER BY … LIMIT), not a range, so the walk starts at one end and reads row after row, filtering each,
 * until enough pass: all of the table when few do. A read of the whole table as much as a Seq Scan.
 */
function pgWholeIndexWalks(plan: readonly string[]): string[] {
  const tables: string[] = [];
  for (let i = 0; i < plan.length; i++) {
    const table = PG_PLAIN_INDEX_READ.exec(plan[i] ?? '')?.[1];
    if (!table) continue;
    let filtered = false;
    let keyed = false;
    for (let j = i + 1; j < plan.length && pgNodeArrow(plan[j] ?? '') < 0; j++) {
      if (/^\s*Filter:/.test(plan[j] ?? '')) filtered = true;
      if (/^\s*Index Cond:/.test(plan[j] ?? '')) keyed = true;
    }
    if (filtered && !keyed) tables.push(table);
  }
  return tables;
}

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

function pgFilteredReads(plan: readonly string[]): FilteredRead[] {
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
function myFilteredReads(plan: readonly string[], sql: string | undefined): FilteredRead[] {
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

/** Whose EXPLAIN output a driver returns (drivers of one server print the same plan). */
export const PLAN_DIALECT: Record<string, 'postgresql' | 'mysql'> = {
  pg: 'postgresql',
  postgres: 'postgresql',
  mysql2: 'mysql',
  mysql: 'mysql',
  mariadb: 'mysql',
};

/**
 * The table a SQLite plan line reads whole: `SCAN t`, and `SCAN t USING [COVERING] INDEX i` when the statement
 * filters t (every row is visited in the index's order, for its sort, and filtered one by one; a `SEARCH` is a
 * lookup, but one through an AUTOMATIC index is not). Without a filter, an ordered walk stops at the LIMIT.
 */
function sqliteFullScan(line: string, sql: string | undefined): string | undefined {
  // an index SQLite builds for the one statement is built from every row, on every run
  const automatic = /^\s*(?:[|`-]+\s*)?SEARCH (?:TABLE )?([\w$]+)(?:\s+AS\s+[\w$]+)? USING AUTOMATIC\b/.exec(line);
  if (automatic?.[1]) return tableOfAlias(sql, automatic[1]);
  const scan = /^\s*(?:[|`-]+\s*)?SCAN (?:TABLE )?([\w$]+)(?:\s+AS\s+[\w$]+)?(.*)$/.exec(line);
  if (!scan?.[1]) return undefined;
  const table = tableOfAlias(sql, scan[1]);
  if (!/\bINDEX\b/.test(scan[2] ?? '')) return table;
  return sql !== undefined && filterColumns(sql, table).length > 0 ? table : undefined;
}

export function readPlan(driver: string, plan: readonly string[], sql?: string): PlanReading {
  const scanned = new Set<string>();
  const myRows = new Map<string, number>();
  const myKept = new Map<string, number>();
  let sorted = false;
  let sortedTable: string | undefined;
  const dialect = PLAN_DIALECT[driver] ?? 'sqlite';
  const mySelects = new Set<string>();
  for (const line of plan) {
    if (dialect === 'postgresql') {
      if (/\bSort\b/.test(line) && !/Sort Key/.test(line)) sorted = true;
    } else if (dialect === 'mysql') {
      const table = myPlanTable(line);
      const selectId = mySelectId(line);
      const first = !mySelects.has(selectId);
      mySelects.add(selectId);
      const tiny = tinyFirstRead(line, first);
      if (table && !tiny && fullMyRead(line, sql)) {
        const name = tableOfAlias(sql, table);
        scanned.add(name);
        const rows = Number(/\brows=(\d+)/.exec(line)?.[1] ?? Number.NaN);
        // an ordered index walk under a LIMIT estimates the LIMIT's rows, not how far it walks to fill them
        const stopsEarly = /\btype=index\b/.test(line) && /\blimit\b/i.test(sql ?? '');
        if (Number.isFinite(rows) && !stopsEarly) myRows.set(name, rows);
        // a table sorted straight into a filesort (no temporary table) has its WHERE checked on the way in, and
        // MariaDB's tabular ANALYZE then counts the sorted file's rows: `r_filtered` is 100 whatever the filter kept
        const sortedOnRead = /Using filesort/.test(line) && !/Using temporary/.test(line);
        const kept = sortedOnRead ? Number.NaN : Number(/\br_filtered=([\d.]+)/.exec(line)?.[1] ?? Number.NaN);
        if (Number.isFinite(kept)) myKept.set(name, Math.min(1, kept / 100));
      }
      if (/filesort/i.test(line)) {
        sorted = true;
        if (table) sortedTable = tableOfAlias(sql, table);
      }
    } else {
      const table = sqliteFullScan(line, sql);
      if (table) scanned.add(table);
      if (/TEMP B-TREE FOR ORDER BY/i.test(line)) sorted = true;
    }
  }
  const scans = dialect === 'postgresql' ? pgScans(plan) : [];
  for (const scan of scans) scanned.add(scan.table);
  if (dialect === 'postgresql') for (const table of pgWholeIndexWalks(plan)) scanned.add(table);
  const reading: PlanReading = { scanned: [...scanned], sorted };
  if (sortedTable) reading.sortedTable = sortedTable;
  if (scans.length > 0) reading.scans = scans;
  if (myRows.size > 0) reading.scannedRows = Object.fromEntries(myRows);
  if (myKept.size > 0) reading.filterKept = Object.fromEntries(myKept);
  if (dialect === 'sqlite') {
    // the plan's rows come flattened: a MATERIALIZE's own reads follow it directly
    const inside = plan.flatMap((line, i) => {
      const scan = /^\s*(?:[|`-]+\s*)?SCAN (?:TABLE )?([\w$]+)(?!.*\bINDEX\b)/.exec(line);
      return scan?.[1] && /\bMATERIALIZE\b/.test(plan[i - 1] ?? '') ? [tableOfAlias(sql, scan[1])] : [];
    });
    if (inside.length > 0) reading.materialized = inside;
  }
  const filteredReads =
    dialect === 'postgresql'
      ? pgFilteredReads(plan)
      : dialect === 'mysql'
        ? myFilteredReads(plan, sql)
        : sqliteFilteredReads(plan, sql);
  if (filteredReads.length > 0) reading.filteredReads = filteredReads;
  return reading;
}

/**
 * Tables the plan reads in full only to drop most rows with a filter: a
 * PostgreSQL Seq Scan with its own Filter, a MySQL/MariaDB `type=ALL` row
 * `Using where`, a SQLite SCAN of a statement with a WHERE. The one shape an
 * index on the filtered column fixes for certain, whatever the table's size.
 */
export function filteredScans(driver: string, plan: readonly string[], sql: string): string[] {
  const dialect = PLAN_DIALECT[driver] ?? 'sqlite';
  const tables = new Set<string>();
  if (dialect === 'postgresql') {
    for (const scan of pgScans(plan)) if (scan.filterColumns.length > 0 || scan.probes) tables.add(scan.table);
    return [...tables];
  }
  for (const line of plan) {
    if (dialect === 'mysql') {
      const table = myPlanTable(line);
      if (table && fullMyRead(line, sql) && /Using where/i.test(line)) tables.add(tableOfAlias(sql, table));
    } else if (indexColumns(sql).length > 0) {
      const table = sqliteFullScan(line, sql);
      if (table) tables.add(table);
    }
  }
  if (dialect === 'mysql') for (const read of myFilteredReads(plan, sql)) if (read.drivenBy) tables.add(read.table);
  return [...tables];
}

/**
 * `CREATE INDEX ON products (brand, price)`, or undefined when the statement names no column to index.
 * Columns matched against a pattern that starts with a wildcard are left out: a B-tree index cannot seek them.
 */
export function suggestedIndex(
  table: string,
  sql: string,
  wildcards: readonly string[] = [],
  planColumns?: readonly string[],
  containment: readonly string[] = [],
): string | undefined {
  const columns = keyColumns(table, sql, planColumns).filter((column) => !searchedColumn(column, wildcards));
  if (columns.length === 0) return undefined;
  // a B-tree cannot answer `tags @> '{…}'`: the filter that narrows the table wants a GIN index of its own
  const gin = columns.filter((column) => containment.includes(column));
  if (gin.length > 0) return `CREATE INDEX ON ${table} USING gin (${gin.join(', ')})`;
  return `CREATE INDEX ON ${table} (${columns.join(', ')})`;
}

/**
 * The index key: given the columns the plan's own scan of the table compares (PostgreSQL; none when the
 * scan has no Filter, so the statement's WHERE is about other tables), those, then the statement's ORDER BY
 * columns of the table; without a plan's word, what the statement's WHERE and ORDER BY name.
 */
export function keyColumns(table: string, sql: string, planColumns?: readonly string[]): string[] {
  if (planColumns === undefined) {
    // no plan says what the scan compares (MySQL, SQLite): the statement's WHERE and ORDER BY, else the ON
    // condition a joined table is looked up by (PostgreSQL's plan names a probed join column itself)
    const columns = indexColumns(sql, table);
    return columns.length > 0 ? columns : joinKeyColumns(sql, table);
  }
  const filtered = new Set(filterColumns(sql, table));
  const ordered = indexColumns(sql, table).filter((column) => !filtered.has(column));
  return [...new Set([...planColumns, ...ordered])];
}
