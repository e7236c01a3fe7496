/**
 * `ORDER BY RAND()` (MySQL/MariaDB), `random()` (PostgreSQL, SQLite), `NEWID()` (SQL Server) under a
 * LIMIT: "a few random rows" written so that the server draws a number for every row the filter keeps,
 * sorts them all and keeps the first few. No index serves a random order, so the statement reads and sorts
 * every matching row however its filter is indexed, and grows with the table. Pure.
 */

const RANDOM_ORDER = /\border\s+by\s+(rand|random|newid)\s*\(\s*\)/i;

/** The random function the statement orders by, as written (`RAND`), if it orders by one. */
export function randomOrder(sql: string): string | undefined {
  return RANDOM_ORDER.exec(sql)?.[1];
}

/** A line of source that writes the random order (`ORDER BY RAND()`), to find where the statement says it. */
export const RANDOM_ORDER_WRITTEN = /\border\s+by\s+(?:rand|random|newid)\s*\(|\b(?:rand|random|newid)\s*\(\s*\)/i;

/** ": the statement orders every row its filter keeps by RAND() to keep the first few: …". */
export function randomOrderReason(fn: string, read: string): string {
  return `: the statement orders every row its filter keeps by ${fn}() to keep the first few, so the plan reads ${read} and sorts them all; no index serves a random order`;
}

/** What to change: draw the random rows by key instead of sorting every row. */
export function randomOrderAdvice(where: string): string {
  return `Draw the random rows by key instead of ordering every row at ${where}: pick random ids between MIN(id) and MAX(id) and read those (WHERE id IN (…), or id >= a random id ORDER BY id LIMIT n), keep an indexed random column to start from, or on PostgreSQL sample the table (TABLESAMPLE); then check the plan again (EXPLAIN) and the request time (culprit compare).`;
}
