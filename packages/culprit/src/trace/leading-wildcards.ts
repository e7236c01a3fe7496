/**
 * Columns a statement matches with LIKE/ILIKE against a pattern that starts
 * with a wildcard (`title LIKE '%tea%'`). No B-tree index serves such a
 * match: the index is ordered by the value's first characters, which the
 * pattern leaves open, so diagnose must not advise one on that column.
 * The pattern is a value (a literal in the text, or a bound parameter), and
 * captures keep neither: this reads the raw statement and parameters once,
 * before redaction, and keeps only the column names. Pure.
 */
import { likeSubjectBefore } from '../capture/like-subject.js';

/** The operator of `col LIKE`, `t.col NOT ILIKE`, `lower("col") LIKE`; its subject is read back from it. */
const LIKE = /\s(?:not\s+)?i?like\s+/gi;

/** A wildcard first: the pattern gives no prefix to seek. */
const WILD_FIRST = /^[%_]/;

/** Offsets of the positional `?` placeholders, outside string literals and quoted names. */
export function questionMarks(sql: string): number[] {
  const found: number[] = [];
  let quote = '';
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"' || c === '`') {
      quote = c;
    } else if (c === '?') {
      found.push(i);
    }
  }
  return found;
}

/** A string literal at `at` (`'it''s'`), its value and where it ends; undefined when none starts there. */
function literalAt(sql: string, at: number): string | undefined {
  if (sql[at] !== "'") return undefined;
  let value = '';
  for (let i = at + 1; i < sql.length; i++) {
    if (sql[i] !== "'") value += sql[i];
    else if (sql[i + 1] === "'") value += sql[i++];
    else return value;
  }
  return undefined;
}

/** The pattern's first characters, from a literal, a `$n` or `?` parameter, or the first argument of CONCAT(…). */
function patternAt(sql: string, at: number, params: readonly unknown[], marks: number[]): string | undefined {
  const concat = /^concat\s*\(\s*/i.exec(sql.slice(at, at + 16));
  const start = concat ? at + concat[0].length : at;
  const literal = literalAt(sql, start);
  if (literal !== undefined) return literal;
  const numbered = /^\$(\d+)/.exec(sql.slice(start, start + 8));
  const value = numbered
    ? params[Number(numbered[1]) - 1]
    : sql[start] === '?'
      ? params[marks.indexOf(start)]
      : undefined;
  return typeof value === 'string' ? value : undefined;
}

export function leadingWildcardColumns(sql: string, params: readonly unknown[] | undefined): string[] {
  if (!/like/i.test(sql)) return [];
  const columns: string[] = [];
  const marks = sql.includes('?') ? questionMarks(sql) : [];
  for (const match of sql.matchAll(LIKE)) {
    // a column, or a call over several (`concat_ws(?, title, body)`): no index on one of them serves that
    const column = likeSubjectBefore(sql, match.index);
    if (!column || columns.includes(column)) continue;
    const pattern = patternAt(sql, match.index + match[0].length, params ?? [], marks);
    if (pattern !== undefined && WILD_FIRST.test(pattern)) columns.push(column);
  }
  return columns;
}
