/**
 * An UPDATE or DELETE with no WHERE of its own: a statement meant for the rows one request changed (the tags
 * of the article just published) written for the whole table. Every run rewrites every row, with any subquery
 * of its SET once per row, and takes the rows' locks; the table's growth is its cost. A WHERE inside a
 * subquery narrows that subquery, not the write. Pure.
 */

export interface UnfilteredWrite {
  verb: 'UPDATE' | 'DELETE';
  /** The table written, as the statement names it. */
  table: string;
}

/** The statement with every parenthesized part (subqueries, function arguments) taken out. */
function topLevel(sql: string): string {
  let text = sql;
  for (let previous = ''; previous !== text; ) {
    previous = text;
    text = text.replace(/\([^()]*\)/g, ' ');
  }
  return text;
}

const WRITE = /^\s*(?:with\b.*?\)\s*)?(update|delete\s+from)\s+((?:[`"]?[\w$]+[`"]?\.)?[`"]?[\w$]+[`"]?)/is;

/** The write, when `sql` is an UPDATE or DELETE whose own clauses hold no WHERE (nor a cursor's CURRENT OF). */
export function unfilteredWrite(sql: string): UnfilteredWrite | undefined {
  const match = WRITE.exec(sql);
  if (!match?.[1] || !match[2] || /^\s*with\b/i.test(sql)) return undefined;
  if (/\bwhere\b/i.test(topLevel(sql))) return undefined;
  return {
    verb: /^update$/i.test(match[1]) ? 'UPDATE' : 'DELETE',
    table: match[2].replace(/[`"]/g, ''),
  };
}

/**
 * A line of source that starts such a write: SQL text (`UPDATE tags SET`, `DELETE FROM tags`) or a query
 * builder's call (Kysely's `updateTable(`, `deleteFrom(`, Knex's and TypeORM's `.update(`, `.delete(`).
 */
export const UNFILTERED_WRITE_WRITTEN =
  /\bupdate\s+[`"]?[\w$.]+[`"]?\s+set\b|\bdelete\s+from\s+[`"]?[\w$]|\b(?:updateTable|deleteFrom)\s*\(|\.(?:update|delete|del)\s*\(/i;

/** ": the UPDATE has no WHERE, so every run rewrites all 2,000 rows of tags, running its subquery for each". */
export function unfilteredWriteReason(write: UnfilteredWrite, rows: string, sql: string): string {
  const perRow = write.verb === 'UPDATE' && /\(\s*select\b/i.test(sql) ? ', running its subquery for each' : '';
  const what = rows === 'unknown' ? 'every row' : `all ${rows} rows`;
  return `: the ${write.verb} has no WHERE, so every run ${write.verb === 'UPDATE' ? 'rewrites' : 'deletes'} ${what} of ${write.table}${perRow}`;
}

/** What to change: write only the rows the request changed. */
export function unfilteredWriteAdvice(write: UnfilteredWrite, where: string): string {
  return `Restrict the ${write.verb} at ${where} to the rows this request changed (WHERE id IN (…) with the keys at hand, or the filter that selects them), so its cost follows the change, not the size of ${write.table}; then check the request time (culprit compare).`;
}
