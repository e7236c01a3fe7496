/**
 * An N+1 made by an ORM's lazy association getters, called per item of a list
 * the request loaded (`await entry.getPatient()`, Sequelize's association
 * mixins; Objection's `item.$relatedQuery('tags')`; MikroORM's
 * `item.author.load()`): the fix is eager loading in the statement that
 * loaded the items (`include`, `relations`, `withGraphFetched`), so that
 * statement's line is the one to change, not the loop's. Pure given the reader.
 */
import type { SourceLocation } from '../../capture/types.js';
import type { ReadSource } from '../snippets.js';
import { functionKey } from './app-frames.js';
import type { QueryFact } from './query-facts.js';

/** A getter of an item's association: `entry.getPatient()`, `post.$relatedQuery('tags')`, `book.author.load()`. */
const LAZY_GETTER =
  /\b(?!this\b)[A-Za-z_$][\w$]*\s*\.\s*(?:get[A-Z][\w$]*\s*\(\s*(?:\{[^()]*\})?\s*\)|\$relatedQuery\s*\(|[A-Za-z_$][\w$]*\s*\.\s*load\s*\(\s*\))/;

export interface LazyParent {
  /** The statement that loaded the items, the place for the eager load. */
  loadedAt: SourceLocation;
  /** The getters' lines, in order. */
  getters: SourceLocation[];
}

const lineText = (at: SourceLocation, readSource: ReadSource): string =>
  readSource(at.file.replace(/^file:\/\//, ''))?.split(/\r?\n/)[at.line - 1] ?? '';

/**
 * `loop`: the repeated statements of one N+1, by statement; `queries`: every statement of the request;
 * `loopAt`: where the loop was placed. The parent is a statement run once, from the loop's function, that
 * returned as many rows as the lead getter ran times.
 */
export function lazyParent(
  loop: readonly (readonly QueryFact[])[],
  queries: readonly QueryFact[],
  loopAt: SourceLocation | undefined,
  readSource: ReadSource | undefined,
): LazyParent | undefined {
  if (!readSource || !loopAt) return undefined;
  const getters = loop.map((group) => group[0]?.site);
  if (getters.some((site) => !site || !LAZY_GETTER.test(lineText(site, readSource)))) return undefined;
  const repeats = Math.max(...loop.map((group) => group.length));
  const repeated = new Set(loop.flat());
  const loopFunction = functionKey(loopAt);
  const parent = queries.find(
    (query) =>
      !repeated.has(query) &&
      query.site !== undefined &&
      query.rows === repeats &&
      query.chain.some((frame) => functionKey(frame) === loopFunction),
  );
  if (!parent?.site) return undefined;
  return {
    loadedAt: parent.site,
    getters: (getters as SourceLocation[]).sort((a, b) => a.line - b.line),
  };
}
