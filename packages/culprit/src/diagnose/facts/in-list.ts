/**
 * A filter that names a long list of values (`article_id IN (?, ?, … 3,000 times)`): an ORM loading the
 * children of every parent it read at once. When the list names a large share of the table, the planner
 * reads the whole table, with or without an index on the column, so the fix is a shorter list. Pure.
 */
import { tableOfAlias } from './plan-facts.js';

/** From this many values on, a list is what decides the plan, not the index. */
export const LONG_IN_LIST = 100;

/** Values in the parenthesised list opening at `open` (the index of its `(`), counted by top-level commas. */
function valuesIn(sql: string, open: number): number {
  let depth = 0;
  let values = 1;
  for (let at = open; at < sql.length; at++) {
    const char = sql[at];
    if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return values;
    else if (char === ',' && depth === 1) values++;
  }
  return values;
}

/** The column of `table` the statement compares with a list of at least LONG_IN_LIST values, and their count. */
export function longInList(sql: string, table: string): { column: string; values: number } | undefined {
  const comparison = /(?:[`"]?([\w$]+)[`"]?\s*\.\s*)?[`"]?([\w$]+)[`"]?\s+in\s*\(/gi;
  for (const match of sql.matchAll(comparison)) {
    const [whole, qualifier, column] = match;
    if (!column || match.index === undefined) continue;
    if (qualifier && tableOfAlias(sql, qualifier) !== table && qualifier !== table) continue;
    const values = valuesIn(sql, match.index + whole.length - 1);
    if (values >= LONG_IN_LIST && !/^\s*select\b/i.test(sql.slice(match.index + whole.length)))
      return { column, values };
  }
  return undefined;
}
