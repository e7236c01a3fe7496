/**
 * MySQL/MariaDB: a subquery that names a column of the row around it (`(SELECT COUNT(*) FROM likes l WHERE
 * l.post_id = p.id)`) is planned as a DEPENDENT SUBQUERY and runs again for every row it is asked for: once per
 * row returned when it sits in the select list, once per row examined when it filters. Each run may be cheap (a
 * lookup by an index), and the plan's other rows small (a few hundred read whole and sorted), yet the runs
 * together read tens of thousands of rows, each a lookup into another table. That product is the cost, not
 * the small outer read: an index on the outer table changes nothing, computing the subquery's values for all
 * rows in one grouped pass does. Pure: reads the plan lines (`id=… select_type=… table=… rows=…`) and the SQL.
 */
import { formatCount } from '../evidence.js';
import { PLAN_DIALECT } from './plan-facts.js';
import { tableOfAlias } from './statement-columns.js';

export interface PerRowSubquery {
  /** The outer table whose rows each run the subquery (the first the plan reads). */
  outer: string;
  /** The tables the subquery reads on each run, in plan order. */
  tables: string[];
  /** Runs in a statement: rows returned (select list) or rows examined (a filter). */
  runs: number;
  /** Rows the plan expects one run to read (the product of its rows). */
  perRun: number;
  /** The subquery is in the select list (a value per row: a count, a sum). */
  inSelectList: boolean;
  /** It is an aggregate (COUNT, SUM, MIN, MAX, AVG): a GROUP BY computes it for every row at once. */
  aggregate: boolean;
  /** The subquery's column compared with the outer row's (`posts_tags.tag_id`), when the SQL says. */
  matchedBy?: string;
}

/** Rows the runs must read together before they, and not the outer read, are the statement's cost. */
const MIN_READS = 1000;
/** ... and how many times more than the largest table the outer SELECT reads whole. */
const OVER_OUTER_READ = 10;

interface PlanRow {
  id: string;
  selectType: string;
  table: string;
  type: string;
  rows: number;
}

function planRows(plan: readonly string[]): PlanRow[] {
  return plan.flatMap((line) => {
    const field = (name: string): string | undefined => new RegExp(`\\b${name}=(\\S+)`).exec(line)?.[1];
    const id = field('id');
    const table = field('table');
    if (id === undefined || table === undefined) return [];
    const selectType = /\bselect_type=(.*?)\s+table=/.exec(line)?.[1] ?? '';
    return [{ id, selectType, table, type: field('type') ?? '', rows: Number(field('rows') ?? 1) || 1 }];
  });
}

/** The first subquery's text after the outer SELECT keyword and before its FROM: is it in the select list? */
function selectListSubquery(sql: string): boolean {
  const outerFrom = /\bfrom\b/i.exec(sql.replace(/\([^()]*\)/g, (inner) => ' '.repeat(inner.length)));
  const subquery = /\(\s*select\b/i.exec(sql);
  return outerFrom !== null && subquery !== null && subquery.index < outerFrom.index;
}

/** `posts_tags.tag_id = tags.id` (either side) inside the subquery: the column it matches the outer row by. */
function matchedColumn(subquery: string, sql: string, outer: string): string | undefined {
  const name = '[`"]?([\\w$]+)[`"]?\\.[`"]?([\\w$]+)[`"]?';
  const pair = new RegExp(`${name}\\s*=\\s*${name}`, 'g');
  for (const match of subquery.matchAll(pair)) {
    const [, leftTable, leftColumn, rightTable, rightColumn] = match;
    if (!leftTable || !leftColumn || !rightTable || !rightColumn) continue;
    const left = tableOfAlias(sql, leftTable);
    const right = tableOfAlias(sql, rightTable);
    if (right === outer && left !== outer) return `${left}.${leftColumn}`;
    if (left === outer && right !== outer) return `${right}.${rightColumn}`;
  }
  return undefined;
}

/**
 * The dependent subquery whose runs read far more rows than the outer SELECT's whole reads, if any. A run that
 * reads a table whole is left to the index rules: an index on the column it matches by is then the fix.
 */
export function perRowSubquery(
  driver: string,
  plan: readonly string[],
  sql: string,
  rowsReturned: number,
): PerRowSubquery | undefined {
  if (PLAN_DIALECT[driver] !== 'mysql') return undefined;
  const rows = planRows(plan);
  const first = rows[0];
  const dependent = rows.filter((row) => row.selectType.startsWith('DEPENDENT'));
  const [lead] = dependent;
  if (!first || !lead || first.table.startsWith('<')) return undefined;
  const block = dependent.filter((row) => row.id === lead.id);
  if (block.some((row) => row.type === 'ALL')) return undefined;
  const outerRows = rows.filter((row) => row.id === first.id && !row.table.startsWith('<'));
  const inSelectList = selectListSubquery(sql);
  const runs = inSelectList
    ? Math.max(1, Math.round(rowsReturned))
    : outerRows.reduce((product, row) => product * row.rows, 1);
  const perRun = block.reduce((product, row) => product * row.rows, 1);
  const wholeOuter = Math.max(0, ...outerRows.filter((row) => /^(?:ALL|index)$/.test(row.type)).map((r) => r.rows));
  if (runs * perRun < MIN_READS || runs * perRun < OVER_OUTER_READ * wholeOuter) return undefined;
  const outer = tableOfAlias(sql, first.table);
  const subquery = /\(\s*select\b([\s\S]*)/i.exec(sql)?.[1] ?? '';
  const found: PerRowSubquery = {
    outer,
    tables: [...new Set(block.filter((row) => !row.table.startsWith('<')).map((row) => tableOfAlias(sql, row.table)))],
    runs,
    perRun,
    inSelectList,
    aggregate: /^\s*(?:count|sum|min|max|avg)\s*\(/i.test(subquery),
  };
  const matchedBy = matchedColumn(subquery, sql, outer);
  if (matchedBy) found.matchedBy = matchedBy;
  return found;
}

/** ": its subquery on posts_tags, posts runs once per row of tags it returns (100 runs), ≈148 rows each: …". */
export function perRowHint(found: PerRowSubquery): string {
  const per = found.inSelectList ? 'it returns' : 'it examines';
  return `: its subquery on ${found.tables.join(', ')} runs once per row of ${found.outer} ${per} (${formatCount(found.runs)} runs), reading ≈${formatCount(found.perRun)} rows each through an index: ≈${formatCount(found.runs * found.perRun)} lookups a statement, which no index on ${found.outer} saves`;
}

export function perRowAdvice(found: PerRowSubquery): string {
  const key = found.matchedBy ?? 'the column the subquery matches the outer row by';
  const once = found.aggregate
    ? `Compute the subquery's values for all rows in one grouped pass: join ${found.outer} to (SELECT ${key}, … FROM ${found.tables.join(' JOIN ')} … GROUP BY ${key}) instead of a subquery per row`
    : `Join ${found.tables.join(', ')} once by ${key} instead of a subquery per row`;
  return `${once}, so the tables are read once, not ${formatCount(found.runs)} times; then check the plan again (EXPLAIN) and the request time (culprit compare).`;
}
