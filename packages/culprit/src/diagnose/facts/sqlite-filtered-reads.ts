/**
 * SQLite plans' reads through an index that serves only part of the filter (plan-facts.ts reads the rest of
 * a plan). Pure.
 */
import type { FilteredRead } from './plan-facts.js';
import { filterColumns, tableOfAlias } from './statement-columns.js';

const SQLITE_INDEX_READ =
  /^\s*(?:[|`-]+\s*)?SEARCH (?:TABLE )?([\w$]+)(?:\s+AS\s+([\w$]+))? USING (?:COVERING )?INDEX ([\w$]+) \(([^)]*)\)/;

/**
 * SQLite reads through an index that serves part of the filter (a range on created_at) while the statement
 * also asks for one value of a column the index leaves out (agent_id = ?): every row of the range is read
 * to test that column one by one. An index that starts with the equality serves both. The plan gives no
 * row estimate; the statement's time says whether the range was wide.
 */
export function sqliteFilteredReads(plan: readonly string[], sql: string | undefined): FilteredRead[] {
  if (!sql) return [];
  const where = /\bwhere\b([\s\S]*?)(?:\border\s+by\b|\bgroup\s+by\b|\blimit\b|$)/i.exec(sql)?.[1] ?? '';
  const reads: FilteredRead[] = [];
  for (const line of plan) {
    const match = SQLITE_INDEX_READ.exec(line);
    if (!match?.[1] || !match[3]) continue;
    const alias = match[2] ?? match[1];
    const table = tableOfAlias(sql, alias);
    const used = (match[4] ?? '').split(/\s+AND\s+/i).map((term) => term.replace(/\s*[=<>].*$/, '').trim());
    const unserved = filterColumns(sql, table).filter(
      (column) => !used.includes(column) && equalityOn(where, alias === table ? [table] : [alias, table], column),
    );
    if (unserved.length > 0) reads.push({ table, index: match[3] });
  }
  return reads;
}

/** The WHERE compares `column` (of one of `qualifiers`, or unqualified) with one value or a list: `= ?`, `IN (…)`. */
function equalityOn(where: string, qualifiers: readonly string[], column: string): boolean {
  const names = qualifiers.map((name) => name.replace(/[$]/g, '\\$&')).join('|');
  const escaped = column.replace(/[$]/g, '\\$&');
  return new RegExp(
    `(?:^|[^\\w$."\x60])(?:[\x60"]?(?:${names})[\x60"]?\\.)?[\x60"]?${escaped}[\x60"]?\\s*(?:=|\\bin\\b)`,
    'i',
  ).test(where);
}
