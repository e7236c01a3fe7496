/**
 * A join of two columns declared in different character sets (a legacy table left in latin1 beside utf8mb4
 * ones): MySQL and MariaDB convert the narrower column of every row to compare, so no index on it can serve
 * the join, and the table is read whole once per statement. Neither EXPLAIN nor its notes say so on MariaDB
 * (the converted comparison shows only in EXPLAIN EXTENDED's rewritten statement); the app's own schema does.
 * Pure.
 */
import { formatPlace } from '../evidence.js';
import { type DeclaredCharset, declares, type TableDeclaration } from '../schema/declaration.js';
import { tableOfAlias } from './statement-columns.js';

export interface CharsetMismatch {
  table: string;
  column: string;
  charset: string;
  otherTable: string;
  otherColumn: string;
  otherCharset: string;
  /** Where the read table's character set is declared: the line to change. */
  declaredAt: { file: string; line: number; column: number };
}

const QUALIFIED = String.raw`[\x60"]?([\w$]+)[\x60"]?\.[\x60"]?([\w$]+)[\x60"]?`;
const COLUMN_EQUALS_COLUMN = new RegExp(`${QUALIFIED}\\s*=\\s*${QUALIFIED}`, 'g');

function charsetOf(
  table: string,
  column: string,
  schema: readonly TableDeclaration[],
): { charset: DeclaredCharset; file: string } | undefined {
  for (const declared of schema) {
    if (declared.kind !== 'table' || !declares(declared, table)) continue;
    const charset = declared.columnCharsets?.[column.toLowerCase()] ?? declared.charset;
    if (charset) return { charset, file: declared.file };
  }
  return undefined;
}

/** The comparison of `table`'s column with another table's column declared in another character set. */
export function charsetMismatch(
  sql: string,
  table: string,
  schema: readonly TableDeclaration[],
): CharsetMismatch | undefined {
  for (const match of sql.matchAll(COLUMN_EQUALS_COLUMN)) {
    const [, leftAlias, leftColumn, rightAlias, rightColumn] = match;
    if (!leftAlias || !leftColumn || !rightAlias || !rightColumn) continue;
    const sides = [
      { table: tableOfAlias(sql, leftAlias).toLowerCase(), column: leftColumn },
      { table: tableOfAlias(sql, rightAlias).toLowerCase(), column: rightColumn },
    ];
    const read = sides.find((side) => side.table === table.toLowerCase());
    const other = sides.find((side) => side !== read);
    if (!read || !other || other.table === read.table) continue;
    const readCharset = charsetOf(read.table, read.column, schema);
    const otherCharset = charsetOf(other.table, other.column, schema);
    if (!readCharset || !otherCharset || readCharset.charset.name === otherCharset.charset.name) continue;
    return {
      table: read.table,
      column: read.column,
      charset: readCharset.charset.name,
      otherTable: other.table,
      otherColumn: other.column,
      otherCharset: otherCharset.charset.name,
      declaredAt: { file: readCharset.file, line: readCharset.charset.line, column: 1 },
    };
  }
  return undefined;
}

export function charsetMismatchReason(mismatch: CharsetMismatch): string {
  return `the statement compares ${mismatch.table}.${mismatch.column} (${mismatch.charset}) with ${mismatch.otherTable}.${mismatch.otherColumn} (${mismatch.otherCharset}): the server converts every row's ${mismatch.column} to compare, so no index on ${mismatch.column} can serve it`;
}

export function charsetMismatchAdvice(mismatch: CharsetMismatch): string {
  return `Declare ${mismatch.table}.${mismatch.column} in ${mismatch.otherCharset}, as ${mismatch.otherTable}.${mismatch.otherColumn} is, at ${formatPlace(mismatch.declaredAt)} (ALTER TABLE ${mismatch.table} CONVERT TO CHARACTER SET ${mismatch.otherCharset}, or MODIFY the column alone), so its index serves the comparison; no index is missing. Then check the plan again (EXPLAIN) and the request time (culprit compare).`;
}
