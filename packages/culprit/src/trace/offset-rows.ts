/**
 * How many rows a statement's OFFSET skips (`LIMIT 50 OFFSET 74950`,
 * MySQL's `LIMIT 74950, 50`), from a literal or a bound value. A page far
 * from the start costs every row before it, whatever the indexes, and only
 * the value says how far: captures keep neither literals nor parameters, so
 * this reads the raw statement once, before redaction, and keeps one count.
 * Pure.
 */
import { questionMarks } from './leading-wildcards.js';

/** `OFFSET 10`, `OFFSET ?`, `OFFSET $3`, `OFFSET :name` is left out (a named value we cannot place). */
const OFFSET = /\boffset\s+(\d+|\?|\$\d+)\s*(?:rows?\b)?/gi;
/** MySQL's `LIMIT offset, count`. */
const LIMIT_PAIR = /\blimit\s+(\d+|\?|\$\d+)\s*,\s*(?:\d+|\?|\$\d+)/gi;

function valueAt(token: string, at: number, params: readonly unknown[], marks: readonly number[]): number | undefined {
  const value = /^\d+$/.test(token)
    ? Number(token)
    : token === '?'
      ? params[marks.indexOf(at)]
      : params[Number(token.slice(1)) - 1];
  const count = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : undefined;
}

/** The largest OFFSET of the statement (a subquery may have its own), or undefined when it has none known. */
export function offsetRows(sql: string, params: readonly unknown[] | undefined): number | undefined {
  if (!/\b(?:offset|limit)\b/i.test(sql)) return undefined;
  const marks = sql.includes('?') ? questionMarks(sql) : [];
  let largest: number | undefined;
  for (const pattern of [OFFSET, LIMIT_PAIR]) {
    for (const match of sql.matchAll(pattern)) {
      const token = match[1];
      if (token === undefined) continue;
      const at = match.index + match[0].indexOf(token, match[0].search(/\s/));
      const rows = valueAt(token, at, params ?? [], marks);
      if (rows !== undefined && (largest === undefined || rows > largest)) largest = rows;
    }
  }
  return largest;
}
