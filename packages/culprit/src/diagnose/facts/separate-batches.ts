/**
 * One shared read helper (a key-value layer's "get these keys", a repository's
 * `findByIds`) called once from each of several places of a request, each call
 * with a list of keys: the statement's text repeats, but no loop repeats it,
 * and every call already batches. Each call comes down its own path of app
 * lines (topics, their authors, their categories, the caller's settings); a
 * loop's repeats share one. Not N+1: nothing runs once per item. Beside a
 * real loop of the same helper, those separate calls are not the loop's
 * iterations either, and would blur where the loop is. Pure.
 */
import { lineKey } from './app-frames.js';
import type { QueryFact } from './query-facts.js';

/** A statement that takes a list of values at once: `= ANY($1)`, `UNNEST($1)`, or `IN` with a parameter list. */
const LIST_PARAMETER = /\b(?:any|unnest)\s*\(\s*(?:\?|\$\d+)|\bin\s*\(\s*(?:\?|\$\d+)\s*,/i;
/** Rows per call from which the calls read batches rather than one item's row each. */
const BATCH_ROWS = 2;

const pathOf = (query: QueryFact): string => query.chain.map(lineKey).join('>');

/**
 * The repeats of a list-taking statement that share their path of app lines with another repeat (a loop's
 * iterations), without the calls whose path is their own (separate lookups through the same helper). When no
 * path repeats, the group is left whole: separateBatchedCalls judges it.
 */
export function loopIterations(group: readonly QueryFact[]): readonly QueryFact[] {
  const first = group[0];
  if (!first || !LIST_PARAMETER.test(first.sql)) return group;
  const perPath = new Map<string, number>();
  for (const query of group) perPath.set(pathOf(query), (perPath.get(pathOf(query)) ?? 0) + query.count);
  const looped = group.filter((query) => (perPath.get(pathOf(query)) ?? 0) > 1);
  return looped.length > 0 ? looped : group;
}

/** The repeats are batched reads, each from a different path of app lines: separate lookups, not a loop. */
export function separateBatchedCalls(group: readonly QueryFact[]): boolean {
  const first = group[0];
  if (!first || group.length < 2 || !LIST_PARAMETER.test(first.sql)) return false;
  // a folded fact stands for repeats from one path; rows unknown cannot show batches
  if (!group.every((query) => query.count === 1 && query.rowsKnown)) return false;
  const rows = group.reduce((sum, query) => sum + query.rows, 0);
  if (rows < BATCH_ROWS * group.length) return false;
  const paths = new Set(group.map(pathOf));
  return paths.size === group.length;
}
