/**
 * An index the server could not use because the statement compares its column with a value of another type
 * or collation (a VARCHAR key compared with a number: every row's value is converted to compare, so the
 * table is read row by row). The probe adds the server's own words for it to a MySQL/MariaDB plan as
 * `note=unusable-key key=… [of=table] column=… [column_type=… value_type=…]` lines, from the warnings
 * the EXPLAIN left. Pure.
 */
import { filterColumns } from './plan-facts.js';
import { joinKeyColumns } from './statement-columns.js';

export interface UnusableKey {
  key: string;
  column: string;
  /** The table, when the server named it (MariaDB). */
  table?: string;
  columnType?: string;
  valueType?: string;
  /** The column is compared in a join's ON condition (with another table's column), not by the WHERE. */
  joined?: boolean;
}

/** The plan's notes of indexes a conversion made unusable. */
export function unusableKeys(plan: readonly string[]): UnusableKey[] {
  return plan.flatMap((line) => {
    if (!/^note=unusable-key\b/.test(line)) return [];
    const field = (name: string) => new RegExp(`\\b${name}=(\\S+)`).exec(line)?.[1];
    const [key, column] = [field('key'), field('column')];
    if (!key || !column) return [];
    const found: UnusableKey = { key, column };
    const [table, columnType, valueType] = [field('of'), field('column_type'), field('value_type')];
    if (table) found.table = table;
    if (columnType) found.columnType = columnType;
    if (valueType) found.valueType = valueType;
    return [found];
  });
}

/** The note about a column of `table` that the statement filters on, if the plan has one. */
export function unusableKeyOn(
  plan: readonly string[] | undefined,
  table: string,
  sql: string,
): UnusableKey | undefined {
  const filtered = filterColumns(sql, table).map((column) => column.toLowerCase());
  const joinKeys = joinKeyColumns(sql, table).map((column) => column.toLowerCase());
  const note = unusableKeys(plan ?? []).find(
    (found) =>
      (found.table === undefined || found.table.toLowerCase() === table.toLowerCase()) &&
      (filtered.includes(found.column.toLowerCase()) || joinKeys.includes(found.column.toLowerCase())),
  );
  return note && !filtered.includes(note.column.toLowerCase()) ? { ...note, joined: true } : note;
}

/** Why the key cannot serve: "the statement compares legacy_ref with a int value (the column is varchar): …". */
export function conversionReason(note: UnusableKey): string {
  if (note.joined) {
    const types = note.columnType && note.valueType ? ` (a ${note.columnType}) with a ${note.valueType} column` : '';
    return `the statement joins on ${note.column}${types}: the server converts every row's ${note.column} to compare, so ${note.key} cannot serve the join`;
  }
  const types =
    note.columnType && note.valueType
      ? ` a ${note.valueType} value (the column is ${note.columnType})`
      : ' a value of another type or collation';
  return `the statement compares ${note.column} with${types}: the server converts every row's ${note.column} to compare, so ${note.key} cannot serve the filter`;
}

/** What to change: the value's type, where the app makes it, not the index (it exists). */
export function conversionAdvice(note: UnusableKey, where: string): string {
  if (note.joined) {
    return `Give ${note.column} the type of the column it is joined to at ${where}${note.valueType ? ` (${note.valueType}, by a migration)` : ''}, or join on columns of one type, so ${note.key} serves the join; no index is missing. Then check the plan again (EXPLAIN) and the request time (culprit compare).`;
  }
  const type = note.columnType
    ? `a ${note.columnType} (a string, where the column holds text)`
    : "the column's own type and collation";
  return `Pass ${note.column}'s value as ${type} at ${where} or where the app turns it into a ${note.valueType ?? 'other type'} (a route's schema, a parseInt), so ${note.key} serves the filter; no index is missing. Then check the plan again (EXPLAIN) and the request time (culprit compare).`;
}
