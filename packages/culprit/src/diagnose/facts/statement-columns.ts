/**
 * The columns a statement filters and orders by, per table (read from its text: the WHERE's comparisons,
 * the ORDER BY through the aliases and derived tables an ORM writes), and the table an alias stands for.
 * Pure.
 */

/** The table an alias stands for in the statement (`FROM orders o`, `JOIN users AS u`); the name itself if none. */
export function tableOfAlias(sql: string | undefined, name: string): string {
  if (!sql) return name;
  const escaped = name.replace(/[$]/g, '\\$&');
  const found = new RegExp(
    `\\b(?:from|join)\\s+[\`"]?(?:[\\w$]+[\`"]?\\.[\`"]?)?([\\w$]+)[\`"]?\\s+(?:as\\s+)?[\`"]?${escaped}[\`"]?(?![\\w$])`,
    'i',
  ).exec(sql);
  return found?.[1] ?? name;
}

const COMPARED =
  /(?:[`"]?([\w$]+)[`"]?\.)?[`"]?([\w$]+)[`"]?\s*(?:=|<>|!=|>=|<=|>|<|\bin\b|\blike\b|\bilike\b|\bbetween\b|\bis\b)/gi;
const KEYWORDS = new Set(['and', 'or', 'not', 'null', 'true', 'false', 'select', 'where', 'exists']);

/** A SELECT of aggregates only (`count(distinct a.id) as count`) without GROUP BY: one row whatever it matches. */
const AGGREGATE_ONLY =
  /^\s*select\s+(?:(?:count|sum|avg|min|max)\s*\([^()]*\)(?:\s+as\s+[`"]?[\w$]+[`"]?)?\s*(?:,\s*|(?=from\b)))+from\b(?![\s\S]*\bgroup\s+by\b)/i;

/** Columns of `table` (of any table when absent) the WHERE clause compares. */
export function filterColumns(sql: string, table?: string): string[] {
  return statementColumns(sql, table, false);
}

/**
 * Columns compared in the WHERE clause, then ORDER BY columns: the index key that serves both. Given
 * `table`, a column qualified by another table or a derived table's alias (TypeORM's outer
 * `distinctAlias` query orders by it) is no column of it and is left out.
 */
export function indexColumns(sql: string, table?: string): string[] {
  return statementColumns(sql, table, true);
}

function statementColumns(sql: string, table: string | undefined, ordered: boolean): string[] {
  const whole = sql.replace(/\s+/g, ' ');
  // a subquery in the select list or the WHERE (`(select count(*) from favorites where article_id = …)`) has a
  // WHERE of its own, about its own table: the columns of `table` are read in the query that names it
  const text = table ? (scopeOf(whole, table) ?? whole) : whole;
  const where = /\bwhere\b(.*?)(?:\border\s+by\b|\bgroup\s+by\b|\blimit\b|\boffset\b|$)/i.exec(text)?.[1] ?? '';
  // an aggregate of the whole match (a list's count) is one row: its ORDER BY orders nothing an index could serve
  const order =
    ordered && !AGGREGATE_ONLY.test(text)
      ? (/\border\s+by\b(.*?)(?:\blimit\b|\boffset\b|\bfetch\b|$)/i.exec(text)?.[1] ?? '')
      : '';
  const columns: string[] = [];
  const add = (name: string | undefined, qualifier: string | undefined): void => {
    if (table && qualifier && tableOfAlias(text, qualifier).toLowerCase() !== table.toLowerCase()) return;
    if (name && !KEYWORDS.has(name.toLowerCase()) && !/^\d/.test(name) && !columns.includes(name)) columns.push(name);
  };
  for (const match of where.matchAll(COMPARED)) add(match[2], match[1]);
  const parts: Array<{ name: string | undefined; qualifier: string | undefined; resolved: boolean }> = [];
  for (const part of order ? order.split(',') : []) {
    // an aggregate or another function of columns (`min("e0"."starts_at")`) is no column an index keys by
    if (/^[\w$]+\s*\(/.test(part.trim())) continue;
    const column = /(?:[`"]?([\w$]+)[`"]?\.)?[`"]?([\w$]+)[`"]?/.exec(part.trim());
    const [qualifier, name] = [column?.[1], column?.[2]];
    // a derived table's output (TypeORM's paged join orders `distinctAlias.n_created_at`, the inner `n.created_at
    // AS n_created_at`), or a name the statement gives a column (`a.id AS a_id … ORDER BY a_id`), is that column
    const inner =
      name && (qualifier ? derivedAlias(text, qualifier) : renamed(text, name)) ? aliased(text, name) : undefined;
    if (inner) parts.push({ name: inner.column, qualifier: inner.qualifier, resolved: true });
    // an unqualified name the statement gives to another expression is no column
    else if (!(name && !qualifier && renamed(text, name))) parts.push({ name, qualifier, resolved: false });
  }
  // an ORM's paging by the key alone (TypeORM's findOne orders its derived ids by id) asks for no order an index
  // must keep: the rows of one lookup are few, and a secondary index already ends with the key (InnoDB)
  const keyOnly = parts.length === 1 && parts[0]?.resolved && parts[0].name?.toLowerCase() === 'id';
  if (!keyOnly) for (const part of parts) add(part.name, part.qualifier);
  return columns;
}

/**
 * The columns of `table` in the ON condition that joins it (`left join follows on follows.following_id =
 * users.id`): the key a table the WHERE and ORDER BY say nothing of is looked up by, once per row of the
 * tables before it.
 */
export function joinKeyColumns(sql: string, table: string): string[] {
  const whole = sql.replace(/\s+/g, ' ');
  const text = scopeOf(whole, table) ?? whole;
  const columns: string[] = [];
  for (const [name, qualifier] of joinColumns(text, table)) {
    if (tableOfAlias(text, qualifier).toLowerCase() === table.toLowerCase() && !columns.includes(name))
      columns.push(name);
  }
  return columns;
}

const SUBQUERY_START = /^\(\s*select\b/i;
/** The keyword before a parenthesis that opens a derived table (`FROM (SELECT …) d`), which is part of its query. */
const DERIVED_BEFORE = /\b(?:from|join|lateral)\s*$/i;

/**
 * The statement with its expression subqueries (in the select list, the WHERE, an ON) each left as `(?)`,
 * and those subqueries' own texts. Derived tables stay: their rows are the query's own (TypeORM's paging).
 */
function splitSubqueries(text: string): { outer: string; inner: string[] } {
  let outer = '';
  const inner: string[] = [];
  let index = 0;
  while (index < text.length) {
    const open = text.indexOf('(', index);
    if (open < 0) break;
    outer += text.slice(index, open);
    if (!SUBQUERY_START.test(text.slice(open)) || DERIVED_BEFORE.test(text.slice(0, open))) {
      outer += '(';
      index = open + 1;
      continue;
    }
    let depth = 0;
    let close = open;
    for (; close < text.length; close++) {
      if (text[close] === '(') depth++;
      else if (text[close] === ')' && --depth === 0) break;
    }
    inner.push(text.slice(open + 1, close));
    outer += '(?)';
    index = close + 1;
  }
  return { outer: outer + text.slice(index), inner };
}

/**
 * `a` and `b` are read by the same query of the statement (not one of them in a subquery of the select list
 * or the WHERE, which runs on its own for each row of the outer query): only then is one joined to the other.
 */
export function sameQuery(sql: string, a: string, b: string): boolean {
  const text = sql.replace(/\s+/g, ' ');
  return scopeOf(text, a) === scopeOf(text, b);
}

/** The text of the query (the statement, or one of its subqueries, its own subqueries left out) that reads `table`. */
function scopeOf(text: string, table: string): string | undefined {
  const { outer, inner } = splitSubqueries(text);
  const escaped = table.replace(/[$]/g, '\\$&');
  const names = new RegExp(`\\b(?:from|join)\\s+[\`"]?(?:[\\w$]+[\`"]?\\.[\`"]?)?${escaped}[\`"]?(?![\\w$.])`, 'i');
  if (names.test(outer)) return outer;
  for (const subquery of inner) {
    const scope = scopeOf(subquery, table);
    if (scope !== undefined) return scope;
  }
  return undefined;
}

const JOIN_TERM = /(?:[`"]?([\w$]+)[`"]?\.)[`"]?([\w$]+)[`"]?\s*=\s*(?:[`"]?([\w$]+)[`"]?\.[`"]?([\w$]+)[`"]?)?/gi;

/** Qualified columns (name, qualifier) of the ON condition that joins `table`, on either side of an equality. */
function joinColumns(text: string, table: string): Array<[string, string]> {
  const escaped = table.replace(/[$]/g, '\\$&');
  const on = new RegExp(
    `\\bjoin\\s+[\`"]?(?:[\\w$]+[\`"]?\\.[\`"]?)?${escaped}[\`"]?(?:\\s+(?:as\\s+)?[\`"]?(?!on\\b)[\\w$]+[\`"]?)?\\s+on\\b(.*?)(?=\\b(?:left|right|inner|outer|full|cross|natural|join|where|group|order|limit|union)\\b|$)`,
    'i',
  ).exec(text)?.[1];
  const found: Array<[string, string]> = [];
  for (const match of (on ?? '').matchAll(JOIN_TERM)) {
    if (match[1] && match[2]) found.push([match[2], match[1]]);
    if (match[3] && match[4]) found.push([match[4], match[3]]);
  }
  return found;
}

/** `alias` names a derived table of the statement (`FROM (SELECT …) distinctAlias`), not a table. */
function derivedAlias(sql: string, alias: string): boolean {
  const escaped = alias.replace(/[$]/g, '\\$&');
  return new RegExp(`\\)\\s*(?:as\\s+)?[\`"]?${escaped}[\`"]?(?![\\w$])`, 'i').test(sql);
}

/** The column an output name stands for (`n.created_at AS n_created_at`), when it is a plain column. */
function aliased(sql: string, name: string): { column: string; qualifier?: string } | undefined {
  const escaped = name.replace(/[$]/g, '\\$&');
  const match = new RegExp(
    `(?<![\\w$.\`"(])(?:[\`"]?([\\w$]+)[\`"]?\\.)?[\`"]?([\\w$]+)[\`"]?\\s+as\\s+[\`"]?${escaped}[\`"]?(?![\\w$])`,
    'i',
  ).exec(sql);
  if (!match?.[2] || match[2] === name || KEYWORDS.has(match[2].toLowerCase())) return undefined;
  return match[1] ? { column: match[2], qualifier: match[1] } : { column: match[2] };
}

/** `name` is an output alias of another expression in the statement (`t.id AS name`, not `t.name AS name`). */
function renamed(sql: string, name: string): boolean {
  const escaped = name.replace(/[$]/g, '\\$&');
  // an aggregate's or another function's result (`sum(o.total) AS spent`) is renamed too
  const alias = new RegExp(`(?:([\\w$]+)[\`"]?|\\))\\s+as\\s+[\`"]?${escaped}[\`"]?(?![\\w$])`, 'gi');
  return [...sql.matchAll(alias)].some((match) => match[1] !== name);
}
