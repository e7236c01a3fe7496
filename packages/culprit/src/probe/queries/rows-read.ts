/**
 * What a query's rows weigh, estimated from one row: a `SELECT *` of a table
 * holding document bodies reads megabytes for a list that shows titles, and
 * only the rows' size tells it apart from a query that is merely slow. One
 * row is sampled (each value's size read from its type, nothing serialized),
 * so the cost is a pass over one row's columns whatever the row count.
 */
import type { RowsRead, WideColumn } from '../../capture/types.js';

/**
 * A value this large in one row is a document, a rendered page or an image,
 * not a field a list shows: a title, a name or a URL stays under a few hundred
 * bytes, and 1 KB times a few hundred rows is already most of a list's reading.
 */
export const WIDE_COLUMN_BYTES = 1024;

/**
 * Bytes a value occupies: strings by length (UTF-16 units, near enough), binary by bytes, a parsed JSON
 * value (an ORM's relation aggregated into one column: `json_agg` of a group's memberships) by its
 * strings and numbers; others are small.
 */
export function valueBytes(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (value === null || value === undefined) return 0;
  if (typeof value === 'object') {
    if (ArrayBuffer.isView(value)) return value.byteLength;
    if (value instanceof ArrayBuffer) return value.byteLength;
    if (isJsonContainer(value)) return jsonBytes(value, JSON_DEPTH, { left: JSON_WEIGHED_VALUES });
  }
  return 8;
}

/** How deep a parsed JSON value is followed: a relation's rows and their own fields, not a document's whole tree. */
const JSON_DEPTH = 4;
/** Elements of a long array that are weighed; the rest are taken to weigh as much (one row is sampled anyway). */
const JSON_SAMPLED_ELEMENTS = 16;
/** Values weighed in one JSON value at most, so a wide object costs a bounded walk whatever its size. */
const JSON_WEIGHED_VALUES = 512;

function isJsonContainer(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A parsed JSON array or object's size as text, estimated from a bounded sample of its elements. */
function jsonBytes(value: object, depth: number, budget: { left: number }): number {
  const weigh = (item: unknown): number => {
    if (budget.left-- <= 0) return 8;
    return typeof item === 'object' && item !== null && depth > 1 && isJsonContainer(item)
      ? jsonBytes(item, depth - 1, budget)
      : valueBytes(typeof item === 'object' ? null : item);
  };
  if (Array.isArray(value)) {
    const sampled = Math.min(value.length, JSON_SAMPLED_ELEMENTS);
    let bytes = 0;
    for (let i = 0; i < sampled; i++) bytes += weigh(value[i]) + 1;
    return sampled === 0 ? 2 : Math.round((bytes * value.length) / sampled) + 2;
  }
  let bytes = 2;
  for (const key in value) bytes += key.length + 4 + weigh((value as Record<string, unknown>)[key]);
  return bytes;
}

/**
 * The estimate for `rows` rows shaped like `first` (an object keyed by
 * column, or an array of values whose names `nameAt` gives). Undefined when
 * there is no row to sample.
 */
export function rowsRead(
  first: unknown,
  rows: number | null,
  nameAt?: (index: number) => string | undefined,
): RowsRead | undefined {
  if (rows === null || rows <= 0 || typeof first !== 'object' || first === null) return undefined;
  let bytes = 0;
  let wide: WideColumn[] | undefined;
  if (Array.isArray(first)) {
    for (let i = 0; i < first.length; i++) {
      const size = valueBytes(first[i]);
      bytes += size;
      if (size >= WIDE_COLUMN_BYTES) wide = widened(wide, nameAt?.(i) ?? `column ${i + 1}`, size);
    }
  } else {
    const row = first as Record<string, unknown>;
    for (const name in row) {
      const size = valueBytes(row[name]);
      bytes += size;
      if (size >= WIDE_COLUMN_BYTES) wide = widened(wide, name, size);
    }
  }
  const read: RowsRead = { bytes: bytes * rows };
  if (wide) {
    read.wide = wide.sort((a, b) => b.bytes - a.bytes);
    read.narrow = narrowColumns(first, wide, nameAt);
  }
  return read;
}

function widened(wide: WideColumn[] | undefined, name: string, bytes: number): WideColumn[] {
  const columns = wide ?? [];
  columns.push({ name, bytes });
  return columns;
}

/** The sampled row's columns that are not wide (only asked when some are). */
function narrowColumns(
  first: object,
  wide: readonly WideColumn[],
  nameAt: ((index: number) => string | undefined) | undefined,
): string[] {
  const wideNames = new Set(wide.map((column) => column.name));
  const names = Array.isArray(first)
    ? first.map((_value, i) => nameAt?.(i) ?? `column ${i + 1}`)
    : Object.keys(first as Record<string, unknown>);
  return names.filter((name) => !wideNames.has(name));
}

/** Two estimates of one statement shape summed: bytes add up, the first sample's columns stay. */
export function addRead(into: RowsRead | undefined, more: RowsRead | undefined): RowsRead | undefined {
  if (!more) return into;
  if (!into) return { ...more };
  into.bytes += more.bytes;
  if (!into.wide && more.wide) {
    into.wide = more.wide;
    if (more.narrow) into.narrow = more.narrow;
  }
  return into;
}

/**
 * The weight of a MySQL-family result (mysql2, mysql, mariadb): an array of
 * rows, a write's header (nothing read), or for several statements an array
 * of those, each result set sampled on its own first row.
 */
export function resultSetsRead(result: unknown): RowsRead | undefined {
  if (!Array.isArray(result) || result.length === 0) return undefined;
  if (!(result.some(Array.isArray) && result.every(isResultPart))) return rowsRead(result[0], result.length);
  let total: RowsRead | undefined;
  for (const part of result) {
    if (Array.isArray(part) && part.length > 0) total = addRead(total, rowsRead(part[0], part.length));
  }
  return total;
}

/** A statement's result within several: a set of rows (its first an object or array, not a value) or a write's header. */
function isResultPart(part: unknown): boolean {
  if (Array.isArray(part)) return part.length === 0 || isRow(part[0]);
  return typeof part === 'object' && part !== null && 'affectedRows' in part;
}

function isRow(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !ArrayBuffer.isView(value) && !(value instanceof Date);
}
