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

function readShape(sql: string): SqlShape {
  const text = sql.replace(/\s+/g, ' ');
  const table = /\b(?:from|update|into)\s+((?:[`"[]?[\w$]+[`"\]]?\.)?[`"[]?[\w$]+[`"\]]?)/i.exec(text)?.[1];
  const shape: SqlShape = {
    filtered: /\bwhere\b/i.test(text),
    limited: /\b(limit|fetch\s+first|top)\b/i.test(text),
    joins: (text.match(/\bjoin\b/gi) ?? []).length,
    select: /^\s*(\(?\s*select|with)\b/i.test(text),
  };
  if (table) shape.table = table.replace(/[`"[\]]/g, '');
  return shape;
}
