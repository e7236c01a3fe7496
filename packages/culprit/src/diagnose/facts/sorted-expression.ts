/**
 * An ORDER BY whose first key is a function of columns (`coalesce(relisted_at, listed_at) DESC`,
 * `lower(name)`) under a LIMIT: a B-tree index keeps a column's values in order, not the function's, so
 * the plan sorts every row the filter keeps to return the first few, however the columns are indexed.
 * An index on the expression itself (PostgreSQL, SQLite, MySQL 8's functional key parts; a generated
 * column on MariaDB) or a stored column of its value keeps that order. Pure.
 */
import { filterColumns } from './statement-columns.js';

export interface SortedExpression {
  /** The expression as written, table qualifiers dropped (`coalesce(relisted_at, listed_at)`). */
  expression: string;
  /** As written in the statement, for finding it in the source. */
  written: string;
  /** DESC when the order is descending, else empty. */
  direction: string;
  /** The columns it reads. */
  columns: string[];
  /** The ORDER BY's plain column keys after it, with their direction (`id DESC`). */
  after: string[];
}

/** Functions that sort by no value of the row an index could hold: aggregates, random draws. */
const NOT_INDEXABLE = /^(?:count|sum|avg|min|max|rand|random|newid|array_agg|string_agg|group_concat|field)$/i;
const ORDER_BY = /\border\s+by\b([\s\S]*?)(?:\blimit\b|\boffset\b|\bfetch\b|$)/i;
const WORDS = new Set([
  'asc',
  'desc',
  'nulls',
  'first',
  'last',
  'as',
  'null',
  'true',
  'false',
  'interval',
  'and',
  'or',
]);

/** The ORDER BY's keys, split at its own commas (not those inside a function's parentheses). */
export function orderKeys(order: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let start = 0;
  for (let at = 0; at < order.length; at++) {
    const char = order[at];
    if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === ',' && depth === 0) {
      keys.push(order.slice(start, at).trim());
      start = at + 1;
    }
  }
  keys.push(order.slice(start).trim());
  return keys.filter((key) => key.length > 0);
}

/** The expression a limited statement orders by first, when it is a function of its columns. */
export function sortedExpression(sql: string): SortedExpression | undefined {
  const text = sql.replace(/'(?:[^']|'')*'/g, "''").replace(/\s+/g, ' ');
  if (!/\blimit\b|\bfetch\s+first\b/i.test(text) || /\bgroup\s+by\b/i.test(text)) return undefined;
  const [first, ...rest] = orderKeys(ORDER_BY.exec(text)?.[1] ?? '');
  const key = first?.replace(/\s+nulls\s+(?:first|last)\s*$/i, '');
  const call = key === undefined ? undefined : /^\(?\s*([A-Za-z_]\w*)\s*\(/.exec(key);
  if (!key || !call?.[1] || NOT_INDEXABLE.test(call[1])) return undefined;
  const direction = /\s+desc$/i.test(key) ? ' DESC' : '';
  const written = key.replace(/\s+(?:asc|desc)$/i, '').trim();
  const expression = written.replace(/(?:[`"]?[A-Za-z_][\w$]*[`"]?)\s*\.\s*(?=[`"]?[A-Za-z_])/g, '');
  const columns = [...expression.replace(/\b[A-Za-z_]\w*\s*\(/g, '(').matchAll(/[`"]?([A-Za-z_][\w$]*)[`"]?/g)]
    .map((match) => match[1] ?? '')
    .filter((name) => name && !WORDS.has(name.toLowerCase()));
  if (columns.length === 0) return undefined;
  const after = rest
    .map((part) => /^(?:[`"]?[\w$]+[`"]?\.)?[`"]?([\w$]+)[`"]?(\s+(?:asc|desc))?$/i.exec(part))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => `${match[1]}${match[2] && /desc/i.test(match[2]) ? ' DESC' : ''}`);
  return { expression, written, direction, columns: [...new Set(columns)], after };
}

/** A source line that writes the expression, spaces and quotes as they may come. */
export function sortedExpressionWritten(sorted: SortedExpression): RegExp {
  const parts = sorted.written.split(/\s+/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const spaced = parts
    .join('\\s*')
    .replace(/\\([()])/g, '\\s*\\$1\\s*')
    .replace(/,/g, ',\\s*');
  return new RegExp(spaced, 'i');
}

/** ": … and sorts it, since the ORDER BY sorts by coalesce(…), which no index on its columns keeps in order". */
export function sortedExpressionReason(sorted: SortedExpression): string {
  return `the ORDER BY sorts by ${sorted.expression}, which no index on ${sorted.columns.join(' or ')} keeps in order: every row the filter keeps is sorted to return the first few`;
}

/** What to change: an index on the expression after the filter's columns, or a stored column to sort by. */
export function sortedExpressionAdvice(
  sorted: SortedExpression,
  table: string,
  sql: string,
  dialect: 'postgresql' | 'mysql' | undefined,
  where: string,
): string {
  const filters = filterColumns(sql, table).filter((column) => !sorted.columns.includes(column));
  const key = [...filters, `(${sorted.expression})${sorted.direction}`, ...sorted.after].join(', ');
  const index =
    dialect === 'mysql'
      ? `index the expression after the filter's columns (MySQL 8.0.13+: CREATE INDEX … ON ${table} (${key}); MariaDB: a generated column of it, indexed)`
      : `index the expression after the filter's columns: CREATE INDEX ON ${table} (${key})`;
  return `Sort by a column an index keeps in order (store the expression's value in a column of its own, kept up to date with its inputs) at ${where}, or ${index}; then check the plan again (EXPLAIN) and the request time (culprit compare).`;
}
