/**
 * A count of the distinct rows of one table over a LEFT JOIN to another that
 * the statement uses nowhere but in the join's own condition
 * (`SELECT count(DISTINCT j.id) FROM jobs j LEFT JOIN applications a ON
 * a.job_id = j.id WHERE j.status = $1`, also what an ORM's paginated count
 * with an included collection writes). A LEFT JOIN keeps every row of the
 * first table and can only repeat it, once per joined row; DISTINCT folds the
 * repeats back, so the number is the first table's count, paid for with every
 * joined row. The fix is to drop the join, not to index it. Pure.
 */
import { formatCount } from '../evidence.js';

export interface NeedlessJoin {
  /** The table whose distinct rows are counted. */
  counted: string;
  /** The joined tables the count needs none of. */
  joined: string[];
  /** Set when PostgreSQL already dropped the joins and only the join's column keeps the count off its index. */
  dropped?: DroppedJoin;
}

/** What a join PostgreSQL dropped still costs a count: the counted table's rows read for the join's column. */
export interface DroppedJoin {
  /** The counted table's columns named only by the dropped joins' ON conditions. */
  joinColumns: string[];
  /** The index the plan finds the counted rows by. */
  index: string;
  /** The rows the plan expects to read from the table. */
  rows?: number;
}

const UNQUOTED = (sql: string) => sql.replace(/[`"[\]]/g, '');
/** `count(DISTINCT j.id)`, `count(DISTINCT(Job.id))` as the only thing selected. */
const DISTINCT_COUNT =
  /^\s*select\s+count\s*\(\s*distinct\s*\(?\s*(?:([\w$]+)\.)?[\w$]+\s*\)?\s*\)\s*(?:::\s*\w+\s*)?(?:as\s+[\w$]+\s*)?from\s+(?:[\w$]+\.)?([\w$]+)(?:\s+(?:as\s+)?(?!left\b|inner\b|join\b|where\b)([\w$]+))?/i;
/** Each LEFT JOIN, its table and alias, and its ON condition up to the next clause. */
const LEFT_JOIN =
  /\bleft\s+(?:outer\s+)?join\s+(?:[\w$]+\.)?([\w$]+)(?:\s+(?:as\s+)?(?!on\b)([\w$]+))?\s+on\s+([\s\S]*?)(?=\b(?:left|right|inner|full|cross|join|where|group|order|limit|having)\b|$)/gi;

export function needlessCountJoin(sql: string): NeedlessJoin | undefined {
  const text = UNQUOTED(sql);
  const count = DISTINCT_COUNT.exec(text);
  if (!count?.[2] || /\bgroup\s+by\b/i.test(text) || !/\bleft\s+(?:outer\s+)?join\b/i.test(text)) return undefined;
  const table = count[2];
  const names = [table, count[3]].filter((name): name is string => Boolean(name)).map((n) => n.toLowerCase());
  // DISTINCT over the first table's column: a joined table's column would count the joined rows
  if (count[1] && !names.includes(count[1].toLowerCase())) return undefined;
  const joined = unusedLeftJoins(text).map((join) => join.table);
  return joined.length > 0 ? { counted: table, joined } : undefined;
}

/** A LEFT JOIN the statement names nowhere but in its own ON condition. */
export interface UnusedJoin {
  table: string;
  /** The name the statement gives it (its alias, or the table). */
  name: string;
  /** Its ON condition. */
  on: string;
}

/** The LEFT JOINs of an unquoted statement that nothing but their own ON condition uses. */
export function unusedLeftJoins(text: string): UnusedJoin[] {
  const unused: UnusedJoin[] = [];
  for (const join of text.matchAll(LEFT_JOIN)) {
    const [whole, joinedTable, alias, on] = join;
    if (!joinedTable) continue;
    const name = (alias ?? joinedTable).toLowerCase();
    // anywhere but its own condition: a filter, another join's condition, the count itself
    const rest = `${text.slice(0, join.index)} ${text.slice(join.index + whole.length)}`.toLowerCase();
    if (!new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}\\.`).test(rest)) {
      unused.push({ table: joinedTable, name, on: on ?? '' });
    }
  }
  return unused;
}

/** The statement's line that joins the first of them. */
export function needlessJoinWritten(needless: NeedlessJoin): RegExp {
  return new RegExp(`\\bjoin\\s+[\`"]?${needless.joined[0]}\\b`, 'i');
}

export function needlessJoinHint(needless: NeedlessJoin, joinedRows: number | undefined): string {
  const through = needless.joined.join(' and ');
  const { dropped } = needless;
  if (dropped) {
    const rows = dropped.rows === undefined ? 'the rows' : `≈${formatCount(dropped.rows)} rows`;
    const columns = dropped.joinColumns.map((column) => `${needless.counted}.${column}`).join(', ');
    return `: it counts ${rows} of ${needless.counted}, each read from the table, though the index that finds them (${dropped.index}) could count them alone: PostgreSQL drops the LEFT JOIN to ${through} (it adds no row to a count) but still reads ${columns} for it`;
  }
  return `: it counts the distinct rows of ${needless.counted} through a LEFT JOIN to ${through}${joinedRows ? ` (≈${formatCount(joinedRows)} joined rows)` : ''}, which only repeats each ${needless.counted} row for DISTINCT to fold back; nothing else in the statement uses ${through}`;
}

export function needlessJoinAdvice(needless: NeedlessJoin, where: string): string {
  if (needless.dropped) {
    return `Count ${needless.counted} alone: drop the LEFT JOIN to ${needless.joined.join(' and ')} from the count at ${where} (PostgreSQL already proved the number is the same); ${needless.dropped.index} can then answer it without reading the table (an index-only scan, over the pages VACUUM has marked all-visible). Then check the request time again (culprit compare).`;
  }
  return `Count ${needless.counted} alone: drop the LEFT JOIN to ${needless.joined.join(' and ')} from the count at ${where} (the number is the same; with an ORM, count without the include, or count the ids of a query that has no joins). Then check the request time again (culprit compare).`;
}
