/**
 * Two or more tables joined to the same row, each with many rows per row of it (`LEFT JOIN photos p ON
 * p.listing_id = l.id LEFT JOIN viewings v ON v.listing_id = l.id`), under a GROUP BY that aggregates each of
 * them (`count(DISTINCT p.id)`, `count(DISTINCT v.id)`). Joined together, every photo of a listing meets every
 * viewing of it: the database builds photos × viewings rows per listing, then the GROUP BY folds them back to
 * one. DISTINCT hides the repeats in the numbers, not in the work, and no index removes rows the statement asks
 * for. Aggregating each table on its own (a subquery grouped by its key, joined once per row; a correlated or
 * LATERAL count) reads each of their rows once. Pure: reads the statement and, for PostgreSQL, the plan's
 * estimates.
 */
import { formatCount } from '../evidence.js';

export interface MultipliedJoins {
  /** The table the joined ones hang from (the statement's FROM). */
  parent: string;
  /** The joined tables with many rows per parent row that the select list aggregates, in join order. */
  joined: string[];
  /** PostgreSQL: the most rows the plan expects a join to make, and the groups its aggregate folds them into. */
  joinedRows?: number;
  groups?: number;
}

/** How many times more rows than the largest table they read a PostgreSQL plan's joins must make to cross them. */
const MIN_CROSSED = 3;

const UNQUOTED = (sql: string) => sql.replace(/[`"[\]]/g, '');
const CLAUSE_AHEAD = String.raw`(?=\b(?:left|right|inner|full|cross|join|where|group|order|limit|having|window)\b|$)`;
/** Each join of a table by an ON condition: its table, alias and condition up to the next clause. */
const JOIN = new RegExp(
  String.raw`\b(?:(?:left|inner)\s+(?:outer\s+)?)?join\s+(?:[\w$]+\.)?([\w$]+)(?:\s+(?:as\s+)?(?!on\b)([\w$]+))?\s+on\s+([\s\S]*?)${CLAUSE_AHEAD}`,
  'gi',
);
const FROM =
  /\bfrom\s+(?:[\w$]+\.)?([\w$]+)(?:\s+(?:as\s+)?(?!left\b|right\b|inner\b|join\b|where\b|group\b|cross\b|full\b)([\w$]+))?/i;
/** An aggregate over a column of a named table: `count(DISTINCT p.id)`, `sum(v.price)`, `json_agg(p.url)`. */
const AGGREGATED =
  /\b(?:count|sum|avg|array_agg|json_agg|jsonb_agg|string_agg|group_concat|json_arrayagg|json_objectagg)\s*\(\s*(?:distinct\s*\(?\s*)?([\w$]+)\./gi;
/** An equality of two qualified columns: `p.listing_id = l.id`. */
const EQUALITY = /([\w$]+)\.([\w$]+)\s*=\s*([\w$]+)\.([\w$]+)/g;

interface Join {
  table: string;
  name: string;
  on: string;
}

/** The column `name`'s side of an ON condition compares with the parent's, when it compares with the parent. */
function joinedColumn(on: string, name: string, parent: string): string | undefined {
  for (const [, a, aColumn, b, bColumn] of on.matchAll(EQUALITY)) {
    if (a?.toLowerCase() === name && b?.toLowerCase() === parent) return aColumn;
    if (b?.toLowerCase() === name && a?.toLowerCase() === parent) return bColumn;
  }
  return undefined;
}

/**
 * What a PostgreSQL plan expects: its joins' largest row estimate, the largest table read under them, and the
 * groups its first aggregate folds them into. Joins that only add each table's rows make about as many rows as
 * their largest input; joins that cross them make many times more.
 */
function planFanOut(plan: readonly string[]): { joinedRows: number; readRows: number; groups: number } | undefined {
  let joinedRows = 0;
  let readRows = 0;
  let groups: number | undefined;
  for (const line of plan) {
    const node = /^\s*(?:->\s*)?(.+?)\s+\(cost=[\d.]+\.\.[\d.]+ rows=(\d+)/.exec(line);
    if (!node?.[1]) continue;
    const rows = Number(node[2]);
    if (/Aggregate$/.test(node[1]) && groups === undefined) groups = rows;
    else if (/\bJoin$|^Nested Loop/.test(node[1])) joinedRows = Math.max(joinedRows, rows);
    else if (/\bScan\b/.test(node[1])) readRows = Math.max(readRows, rows);
  }
  return groups === undefined || joinedRows === 0 ? undefined : { joinedRows, readRows, groups };
}

export function multipliedJoins(
  sql: string,
  plan: readonly string[] | undefined,
  dialect: 'postgresql' | 'mysql' | undefined,
): MultipliedJoins | undefined {
  const text = UNQUOTED(sql).replace(/\s+/g, ' ');
  const grouped = /\bgroup\s+by\b/i.exec(text);
  const from = FROM.exec(text);
  if (!grouped || !from?.[1]) return undefined;
  const parent = (from[2] ?? from[1]).toLowerCase();
  const joins: Join[] = [...text.matchAll(JOIN)].flatMap(([, table, alias, on]) =>
    table ? [{ table, name: (alias ?? table).toLowerCase(), on: on ?? '' }] : [],
  );
  const selectList = text.slice(0, from.index);
  const aggregated = new Set([...selectList.matchAll(AGGREGATED)].map(([, name]) => name?.toLowerCase()));
  // a table with many rows per parent row is joined by a column of its own other than its key (`p.listing_id`)
  const many = joins.filter((join) => {
    const column = joinedColumn(join.on, join.name, parent);
    return column !== undefined && column.toLowerCase() !== 'id' && aggregated.has(join.name);
  });
  if (many.length < 2) return undefined;
  const joined = many.map((join) => join.table);
  if (dialect !== 'postgresql' || !plan) return { parent: from[1], joined };
  const fanOut = planFanOut(plan);
  if (!fanOut) return { parent: from[1], joined };
  if (fanOut.joinedRows < MIN_CROSSED * Math.max(fanOut.readRows, 1)) return undefined;
  return { parent: from[1], joined, joinedRows: fanOut.joinedRows, groups: fanOut.groups };
}

/** A line that joins the first of the multiplying tables: in SQL (`LEFT JOIN photos p`) or a builder (`.leftJoin('photos as p'`). */
export function multipliedJoinWritten(multiplied: MultipliedJoins): RegExp {
  const table = multiplied.joined[0] ?? '';
  return new RegExp(String.raw`join[\w\s]*?\(?\s*['"\`]?(?:[\w$]+\.)?${table.replace(/\$/g, '\\$')}(?![\w$])`, 'i');
}

export function multipliedJoinsHint(multiplied: MultipliedJoins): string {
  const [first, ...rest] = multiplied.joined;
  const sizes =
    multiplied.joinedRows !== undefined && multiplied.groups !== undefined
      ? ` (the plan expects ≈${formatCount(multiplied.joinedRows)} joined rows for ≈${formatCount(multiplied.groups)} groups)`
      : '';
  return `: it joins ${first} and ${rest.join(' and ')} to each ${multiplied.parent} row before GROUP BY, so each of their rows meets every row of the other${sizes} and the aggregates fold the product back`;
}

export function multipliedJoinsAdvice(multiplied: MultipliedJoins, where: string): string {
  return `Aggregate ${multiplied.joined.join(' and ')} each on its own before joining, at ${where}: a subquery per table grouped by its ${multiplied.parent} column (or a correlated count per row), joined once per ${multiplied.parent} row, reads each row once; DISTINCT in the aggregates then becomes unnecessary. Then check the request time again (culprit compare).`;
}
