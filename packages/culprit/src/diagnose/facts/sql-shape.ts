/** What a normalized statement says about itself, read from its text. Pure. */

export interface SqlShape {
  /** First table after FROM (or UPDATE / INTO), unquoted. */
  table?: string;
  filtered: boolean;
  limited: boolean;
  joins: number;
  select: boolean;
}

export function sqlShape(sql: string): SqlShape {
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
