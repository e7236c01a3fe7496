/**
 * What the query hooks hand to the probe: one event per SQL statement, raw
 * (generated positions, unredacted params). The probe attributes it to a
 * request and the CLI maps, redacts and normalizes it into a `QueryRecord`.
 * Types only.
 */
import type { RequestScope } from '../request-context.js';

/** Drivers culprit hooks; the names are the `QueryRecord.driver` values. */
export type QueryDriver = 'pg' | 'mysql2' | 'better-sqlite3' | 'node:sqlite' | 'sqlite3';

/**
 * One stack frame as V8 saw it, before source mapping. `line` and `column`
 * are 0-based like the inspector protocol's, so the frame can go straight to
 * `ProbeControl.mapLocations`. `url` is what V8 names the script: an absolute
 * path for CommonJS, a `file://` URL for ES modules.
 */
export interface RawFrame {
  url: string;
  line: number;
  column: number;
  functionName: string;
  /** A caller awaiting this work (V8 async stack trace), not on the synchronous stack. */
  async?: boolean;
}

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
  /** Error message when the query failed. */
  error?: string;
  /** The stack at issue time, innermost first (driver frames included: the CLI picks the app frame). */
  stack: RawFrame[];
  /** The request being served when the app issued the query (async context at issue time, not at completion). */
  scope?: RequestScope;
}

/** Where hooks send events; must not throw (hooks guard it anyway). */
export type QueryRecorder = (event: RawQueryEvent) => void;
