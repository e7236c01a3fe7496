/**
 * One shared read helper (a key-value layer's "get these keys", a repository's
 * `findByIds`) called once from each of several places of a request, each call
 * with a list of keys: the statement's text repeats, but no loop repeats it,
 * and every call already batches. Each call comes down its own path of app
 * lines (topics, their authors, their categories, the caller's settings); a
 * loop's repeats share one. Not N+1: nothing runs once per item. Pure.
 */
import { lineKey } from './app-frames.js';
import type { QueryFact } from './query-facts.js';

/** A statement that takes a list of values at once: `= ANY($1)`, `UNNEST($1)`, or `IN` with a parameter list. */
const LIST_PARAMETER = /\b(?:any|unnest)\s*\(\s*(?:\?|\$\d+)|\bin\s*\(\s*(?:\?|\$\d+)\s*,/i;
/** Rows per call from which the calls read batches rather than one item's row each. */
const BATCH_ROWS = 2;

/** The repeats are batched reads, each from a different path of app lines: separate lookups, not a loop. */
export function separateBatchedCalls(group: readonly QueryFact[]): boolean {
  const first = group[0];
  if (!first || group.length < 2 || !LIST_PARAMETER.test(first.sql)) return false;
  // a folded fact stands for repeats from one path; rows unknown cannot show batches
  if (!group.every((query) => query.count === 1 && query.rowsKnown)) return false;
  const rows = group.reduce((sum, query) => sum + query.rows, 0);
  if (rows < BATCH_ROWS * group.length) return false;
  const paths = new Set(group.map((query) => query.chain.map(lineKey).join('>')));
  return paths.size === group.length;
}
