/**
 * What a query plan says, for PostgreSQL's, MySQL/MariaDB's and SQLite's
 * EXPLAIN output: which tables are read in full, whether rows are sorted
 * after reading, and the index that would serve the statement's filter and
 * order. Pure: reads the plan lines and the statement's text.
 */

import { type FilteredRead, myFilteredReads, pgFilteredReads } from './filtered-reads.js';
import { fullMyRead, myPlanTable, mySelectId, tinyFirstRead } from './my-plan-rows.js';
import { type PgSeqScan, pgNodeArrow, pgSeqScans } from './pg-seq-scans.js';
import { searchedColumn } from './searched-column.js';
import { sqliteFilteredReads } from './sqlite-filtered-reads.js';
import { filterColumns, indexColumns, joinKeyColumns, tableOfAlias } from './statement-columns.js';

export type { FilteredRead };
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
