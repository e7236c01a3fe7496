/**
 * What the query hooks hand to the probe: one event per SQL statement, raw
 * (generated positions, unredacted params). The probe attributes it to a
 * request and the CLI maps, redacts and normalizes it into a `QueryRecord`.
 * Types only.
 */
import type { RowsRead } from '../../capture/types.js';
import type { RawFrame } from '../frame-source.js';
import type { RequestScope } from '../request-context.js';

/** Drivers culprit hooks; the names are the `QueryRecord.driver` values. */
export type QueryDriver =
  | 'pg'
  | 'postgres'
  | 'mysql2'
  | 'mysql'
  | 'mariadb'
  | 'better-sqlite3'
  | 'node:sqlite'
  | 'sqlite3';

/** One stack frame as V8 saw it, before source mapping (0-based line and column, V8's script URL). */
export type { RawFrame } from '../frame-source.js';

export interface RawQueryEvent {
  driver: QueryDriver;
  /** SQL as sent (mysql2 `query()`: after client-side formatting, so literals appear; normalize before grouping). */
  sql: string;
  /** Bound parameters as given by the caller, when there are any. */
  params?: unknown[];
  /** `performance.now()` when the app issued the query, milliseconds. */
  startedAt: number;
  /** From issue to result (includes waiting in the driver's queue), milliseconds. */
  durationMs: number;
  /** Rows returned (SELECT) or affected (writes); null when the driver did not say. */
  rows: number | null;
  /** What the rows weigh, from the first row (rows-read.ts); absent when no row came back or the driver did not hand rows over. */
  read?: RowsRead;
  /** Error message when the query failed. */
  error?: string;
  /** The stack at issue time, innermost first (driver frames included: the CLI picks the app frame). */
  stack: RawFrame[];
  /**
   * The request being served when the app issued the query (async context at issue time, not at
   * completion); null when it was issued outside any request, which then never claims it.
   */
  scope?: RequestScope | null;
  /** The first application frame of `stack`, read without reading the whole stack. */
  appFrame?(): RawFrame | undefined;
  /** Where a query builder was made, when that is not the first application frame (knex.ts). */
  builtAt?(): RawFrame | undefined;
}

/** Where hooks send events; must not throw (hooks guard it anyway). */
export type QueryRecorder = (event: RawQueryEvent) => void;
