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
  /** The table the joined ones hang from (the statement's FROM, or a table joined to it). */
  parent: string;
  /** The joined tables with many rows per parent row that the select list aggregates, in join order. */
  joined: string[];
  /** PostgreSQL: the most rows the plan expects a join to make, and the groups its aggregate folds them into. */
  joinedRows?: number;
  groups?: number;
}

/**
 * Joined rows per group below which a PostgreSQL plan's joins cross too few rows to matter. Not held against
 * the tables' sizes: a plan that joins the children of a few parents reads each child table whole (a hash
 * join) and still makes more rows than any of them holds.
 */
const MIN_ROWS_PER_GROUP = 10;

const UNQUOTED = (sql: string) => sql.replace(/[`"[\]]/g, '');
const CLAUSE_AHEAD = String.raw`(?=\b(?:left|right|inner|full|cross|join|where|group|order|limit|having|window)\b|$)`;
/** Each join of a table by an ON condition: its table, alias and condition up to the next clause. */
const JOIN = new RegExp(
  String.raw`\b(?:(?:left|inner)\s+(?:outer\s+)?)?join\s+(?:[\w$]+\.)?([\w$]+)(?:\s+(?:as\s+)?(?!on\b)([\w$]+(?:->[\w$]+)*))?\s+on\s+([\s\S]*?)${CLAUSE_AHEAD}`,
  'gi',
);
const FROM =
  /\bfrom\s+(?:[\w$]+\.)?([\w$]+)(?:\s+(?:as\s+)?(?!left\b|right\b|inner\b|join\b|where\b|group\b|cross\b|full\b)([\w$]+))?/i;
/** An aggregate over a column of a named table: `count(DISTINCT p.id)`, `sum(v.price)`, `json_agg(p.url)`. */
const AGGREGATED =
  /\b(?:count|sum|avg|array_agg|json_agg|jsonb_agg|string_agg|group_concat|json_arrayagg|json_objectagg)\s*\(\s*(?:distinct\s*\(?\s*)?([\w$]+)\./gi;
/** An equality of two qualified columns: `p.listing_id = l.id`. */
const EQUALITY = /([\w$]+(?:->[\w$]+)*)\.([\w$]+)\s*=\s*([\w$]+(?:->[\w$]+)*)\.([\w$]+)/g;

interface Join {
  table: string;
  name: string;
  on: string;
}

/**
 * The table a join hangs from, when it has many rows per row of it: its ON condition compares a column of its
 * own other than its key (`p.listing_id`) with one of a table named before it. Undefined for a lookup (joined
 * by its own `id`) or a condition that compares nothing named before.
 */
function hangsFrom(join: Join, before: ReadonlySet<string>): string | undefined {
  for (const [, a, aColumn, b, bColumn] of join.on.matchAll(EQUALITY)) {
    const [own, other, column] =
      a?.toLowerCase() === join.name ? [a, b, aColumn] : b?.toLowerCase() === join.name ? [b, a, bColumn] : [];
    if (own && other && before.has(other.toLowerCase())) {
      return column?.toLowerCase() === 'id' ? undefined : other.toLowerCase();
    }
  }
  return undefined;
}

/** What a PostgreSQL plan expects: its joins' largest row estimate, and the groups its first aggregate folds them into. */
function planFanOut(plan: readonly string[]): { joinedRows: number; groups: number } | undefined {
  let joinedRows = 0;
  let groups: number | undefined;
  for (const line of plan) {
    const node = /^\s*(?:->\s*)?(.+?)\s+\(cost=[\d.]+\.\.[\d.]+ rows=(\d+)/.exec(line);
    if (!node?.[1]) continue;
    const rows = Number(node[2]);
    if (/Aggregate$/.test(node[1]) && groups === undefined) groups = rows;
    else if (/\bJoin$|^Nested Loop/.test(node[1])) joinedRows = Math.max(joinedRows, rows);
  }
  return groups === undefined || joinedRows === 0 ? undefined : { joinedRows, groups };
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
  const fromName = (from[2] ?? from[1]).toLowerCase();
  const joins: Join[] = [...text.matchAll(JOIN)].flatMap(([, table, alias, on]) =>
    table ? [{ table, name: (alias ?? table).toLowerCase(), on: on ?? '' }] : [],
  );
  const selectList = text.slice(0, from.index);
  const aggregated = new Set([...selectList.matchAll(AGGREGATED)].map(([, name]) => name?.toLowerCase()));
  // the aggregated tables with many rows per row of one table, by that table: two under one row cross
  const named = new Map<string, string>([[fromName, from[1]]]);
  const children = new Map<string, Join[]>();
  for (const join of joins) {
    const parentName = hangsFrom(join, new Set(named.keys()));
    named.set(join.name, join.table);
    if (parentName === undefined || !aggregated.has(join.name)) continue;
    children.set(parentName, [...(children.get(parentName) ?? []), join]);
  }
  const crossed = [...children].find(([, siblings]) => siblings.length >= 2);
  if (!crossed) return undefined;
  const [parentName, many] = crossed;
  const parent = named.get(parentName) ?? parentName;
  const joined = many.map((join) => join.table);
  if (dialect !== 'postgresql' || !plan) return { parent, joined };
  const fanOut = planFanOut(plan);
  if (!fanOut) return { parent, joined };
  if (fanOut.joinedRows < MIN_ROWS_PER_GROUP * Math.max(fanOut.groups, 1)) return undefined;
  return { parent, joined, joinedRows: fanOut.joinedRows, groups: fanOut.groups };
}

/**
 * The table at the end of a chain of joins, each with many rows per row of the one before (albums → tracks →
 * plays), when no table has two such children: its rows are what the statement loads, not a product. Undefined
 * for crossed joins, lookups or a single join.
 */
export function chainEnd(sql: string): string | undefined {
  const text = UNQUOTED(sql).replace(/\s+/g, ' ');
  const from = FROM.exec(text);
  if (!from?.[1]) return undefined;
  const named = new Set([(from[2] ?? from[1]).toLowerCase()]);
  const children = new Map<string, number>();
  let end: Join | undefined;
  let links = 0;
  for (const [, table, alias, on] of text.matchAll(JOIN)) {
    if (!table) continue;
    const join: Join = { table, name: (alias ?? table).toLowerCase(), on: on ?? '' };
    const parent = hangsFrom(join, named);
    named.add(join.name);
    if (parent === undefined) continue;
    children.set(parent, (children.get(parent) ?? 0) + 1);
    if ((children.get(parent) ?? 0) > 1) return undefined;
    if (end === undefined || parent === end.name) end = join;
    links++;
  }
  return links >= 2 ? end?.table : undefined;
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
