/** What a normalized statement says about itself, read from its text. Pure. */

export interface SqlShape {
  /** First table after FROM (or UPDATE / INTO), unquoted. */
  table?: string;
  filtered: boolean;
  limited: boolean;
  joins: number;
  select: boolean;
}

/** Shapes of statements read lately: a server issues the same few statements again and again. */
const known = new Map<string, Readonly<SqlShape>>();
const KNOWN_MAX = 1024;

/** The shape of `sql` (shared between calls with the same text: read it, do not change it). */
export function sqlShape(sql: string): Readonly<SqlShape> {
  let shape = known.get(sql);
  if (!shape) {
    if (known.size >= KNOWN_MAX) known.clear();
    shape = Object.freeze(readShape(sql));
    known.set(sql, shape);
  }
  return shape;
}

/**
 * The statement without the subqueries of its select list and its conditions
 * (`(SELECT group_concat(tag) FROM tags WHERE …)` per row): their FROM and
 * WHERE are not the statement's, which may read a whole table unfiltered. A
 * derived table (`FROM (SELECT …) t`) is what the statement reads, so it stays.
 */
function outerStatement(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const open = text.slice(at).search(/\(\s*select\b/i);
    if (open < 0) return out + text.slice(at);
    const start = at + open;
    let depth = 0;
    let end = start;
    for (; end < text.length; end++) {
      if (text[end] === '(') depth++;
      if (text[end] === ')' && --depth === 0) break;
    }
    const derived = /\b(?:from|join)\s*$/i.test(text.slice(0, start));
    out += text.slice(at, start) + (derived ? text.slice(start, end + 1) : '(…)');
    at = end + 1;
    if (at >= text.length) return out;
  }
}

function readShape(sql: string): SqlShape {
  const whole = sql.replace(/\s+/g, ' ');
  // a CTE's body is where its statement reads: keep it
  const outer = /^\s*with\b/i.test(whole) ? whole : outerStatement(whole);
  // a statement made of parenthesized selects (`(SELECT …) UNION (SELECT …)`) has no outer FROM
  const text = /\b(?:from|update|into)\b/i.test(outer) ? outer : whole;
  const table = /\b(?:from|update|into)\s+((?:[`"[]?[\w$]+[`"\]]?\.)?[`"[]?[\w$]+[`"\]]?)/i.exec(text)?.[1];
  const shape: SqlShape = {
    filtered: /\bwhere\b/i.test(text),
    limited: /\b(limit|fetch\s+first|top)\b/i.test(text),
    joins: (text.match(/\bjoin\b/gi) ?? []).length,
    select: /^\s*(\(?\s*select|with)\b/i.test(whole),
  };
  if (table) shape.table = table.replace(/[`"[\]]/g, '');
  return shape;
}
