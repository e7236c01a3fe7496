/**
 * SQLite joins that read a whole table once for each row of the tables before it. SQLite's plan is a nested
 * loop in the order its lines are listed: a `SCAN t` after another table's line (and a `SCAN t USING
 * [COVERING] INDEX i`, the whole index walked) runs again for every row that reached it, so the statement
 * reads rows(before) × rows(t). Where no index serves the join, SQLite builds one of its own for the
 * statement (`AUTOMATIC INDEX`), unless the compared columns' declared types differ: a key kept in a text
 * column (`char(36)`, a `uuid()` column holding integer ids) is compared with an integer key as a number,
 * which no index of the text column can serve, its own or an added one. Pure: reads the plan lines and
 * the statement's text.
 */
import { tableOfAlias } from './plan-facts.js';

export interface SqliteJoinScan {
  /** The table read whole per outer row. */
  table: string;
  /** Its name in the statement (an alias, or the table's). */
  alias: string;
  /** The first table of the loop, whose rows drive the scans. */
  outer: string;
  /** The column of `table` the join compares, and the other side's `table.column`, when the ON clause says. */
  column?: string;
  other?: string;
  /**
   * SQLite served the join with an index of its own (`AUTOMATIC INDEX`), built from all of `table` each time the
   * statement runs: one whole read per run rather than per outer row, and the types compared do match.
   */
  automatic?: true;
}

/** Plans with nested parts list their lines flattened: the loop order of a plain join is no longer readable. */
const NESTED = /\b(?:MATERIALIZE|CO-ROUTINE|SUBQUERY|COMPOUND|UNION|MULTI-INDEX|RECURSIVE)\b/;
const TABLE_LINE = /^\s*(?:[|`-]+\s*)?(SCAN|SEARCH) (?:TABLE )?([\w$]+)(?:\s+AS\s+([\w$]+))?(.*)$/;

/** The tables a plain SQLite join scans whole inside its loop, in plan order. */
export function sqliteJoinScans(plan: readonly string[], sql: string): SqliteJoinScan[] {
  if (plan.some((line) => NESTED.test(line))) return [];
  const scans: SqliteJoinScan[] = [];
  /** The aliases of the loop so far: the join that matters links the scanned table to one of them. */
  const before: string[] = [];
  for (const line of plan) {
    const match = TABLE_LINE.exec(line);
    if (!match?.[2]) continue;
    const alias = match[3] ?? match[2];
    const outer = before[0];
    before.push(alias);
    // the first table, a scan of a rowid range or of an automatic index: no whole read per outer row
    if (outer === undefined || match[1] !== 'SCAN' || /\bAUTOMATIC\b/.test(match[4] ?? '')) continue;
    const scan: SqliteJoinScan = { table: tableOfAlias(sql, alias), alias, outer: tableOfAlias(sql, outer) };
    const joined = joinColumn(sql, alias, before);
    if (joined) Object.assign(scan, joined);
    scans.push(scan);
  }
  return scans;
}

const AUTOMATIC_LINE =
  /^\s*(?:[|`-]+\s*)?SEARCH (?:TABLE )?([\w$]+)(?:\s+AS\s+([\w$]+))? USING AUTOMATIC (?:PARTIAL )?(?:COVERING )?INDEX \(([^)]*)\)/;

/**
 * The tables a plain SQLite join indexes for itself on every run, with the columns SQLite chose to key them by
 * (`SEARCH o USING AUTOMATIC COVERING INDEX (customer_code=?)`): the index the schema lacks, exactly.
 */
export function sqliteAutomaticIndexes(plan: readonly string[], sql: string): SqliteJoinScan[] {
  if (plan.some((line) => NESTED.test(line))) return [];
  const built: SqliteJoinScan[] = [];
  const before: string[] = [];
  for (const line of plan) {
    const automatic = AUTOMATIC_LINE.exec(line);
    const match = automatic ?? TABLE_LINE.exec(line);
    if (!match?.[1]) continue;
    const alias: string = automatic ? (automatic[2] ?? match[1]) : (match[3] ?? match[2] ?? match[1]);
    const outer = before[0];
    before.push(alias);
    const columns = automatic?.[3]?.split(/\s+AND\s+/i).map((term) => term.replace(/\s*[=<>].*$/, '').trim());
    if (!automatic || outer === undefined || !columns || columns.some((column) => !/^[\w$]+$/.test(column))) continue;
    const scan: SqliteJoinScan = {
      table: tableOfAlias(sql, alias),
      alias,
      outer: tableOfAlias(sql, outer),
      column: columns.join(', '),
      automatic: true,
    };
    const other = joinColumn(sql, alias, before)?.other;
    if (other) scan.other = other;
    built.push(scan);
  }
  return built;
}

/** The index that makes the scan a lookup: the join's column alone (the outer table's order is not its own). */
export function joinScanIndex(scan: SqliteJoinScan | undefined): string | undefined {
  return scan?.column ? `CREATE INDEX ON ${scan.table} (${scan.column})` : undefined;
}

const NAME = '[`"]?([\\w$]+)[`"]?';

/**
 * `alias.column = other.column` (either way round) in the statement, `other` a table of the loop before it
 * (`loop`): the join's key on `alias`. A join to a table read later is looked up from this one, not into it.
 */
function joinColumn(
  sql: string,
  alias: string,
  loop: readonly string[],
): { column: string; other: string } | undefined {
  const pair = new RegExp(`${NAME}\\.${NAME}\\s*=\\s*${NAME}\\.${NAME}`, 'g');
  for (const match of sql.matchAll(pair)) {
    const [, leftAlias, leftColumn, rightAlias, rightColumn] = match;
    if (!leftAlias || !leftColumn || !rightAlias || !rightColumn || leftAlias === rightAlias) continue;
    const [column, otherAlias, otherColumn] =
      leftAlias === alias ? [leftColumn, rightAlias, rightColumn] : [rightColumn, leftAlias, leftColumn];
    if ((leftAlias === alias || rightAlias === alias) && loop.includes(otherAlias))
      return { column, other: `${tableOfAlias(sql, otherAlias)}.${otherColumn}` };
  }
  return undefined;
}

/** ": the plan reads all of favorites for each row of articles, to join it by article = articles.id …". */
export function joinScanHint(scans: readonly SqliteJoinScan[], index: string | undefined): string {
  const [first, ...rest] = scans;
  if (!first) return '';
  if (first.automatic)
    return `: the plan reads all of ${first.table} and indexes it by ${first.column} for this statement alone (SQLite's AUTOMATIC INDEX), again on every run${first.other ? `, to join it to ${first.other}` : ''}${index ? ` (${index})` : ''}`;
  const by = first.column && first.other ? `, to join it by ${first.column} = ${first.other}` : '';
  const also = rest.map((scan) => `, and all of ${scan.table} for each row too`).join('');
  return `: the plan reads all of ${first.table} for each row of ${first.outer}${by}${index ? ` (${index})` : ''}${also}: SQLite would have built an index of its own for the join unless the compared columns' types differ`;
}

/** What makes the join a lookup, in the schema's terms. */
export function joinScanAdvice(scans: readonly SqliteJoinScan[], index: string | undefined, where: string): string {
  const [first] = scans;
  if (!first) return '';
  if (first.automatic)
    return `${where}${index ?? `Index ${first.table} (${first.column})`}: SQLite then looks the joined rows up in it instead of reading and indexing all of ${first.table} each time the statement runs; then check the plan again (EXPLAIN QUERY PLAN: USING INDEX, not AUTOMATIC) and the request time (culprit compare).`;
  const column = first.column ? `${first.table}.${first.column}` : `the join column of ${first.table}`;
  const typed = first.other ? ` the declared type of ${first.other}` : ' the type of the key it is compared with';
  return `${where}${index ?? `Index ${column}`}, with ${column} given${typed}: a key kept in a text column (char, varchar, uuid) and compared with an integer key is compared as a number, which no index of the text column serves, an added one included; then check the plan again (EXPLAIN QUERY PLAN: a SEARCH, not a SCAN) and the request time (culprit compare).`;
}

/** The tables SQLite reads whole once per outer row, else those it builds an index of for the one statement. */
export function sqliteJoins(plan: readonly string[], sql: string): SqliteJoinScan[] {
  const perRow = sqliteJoinScans(plan, sql);
  return perRow.length > 0 ? perRow : sqliteAutomaticIndexes(plan, sql);
}
