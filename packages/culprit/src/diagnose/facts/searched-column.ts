/**
 * Which of a statement's index columns a leading-wildcard search compares: a B-tree index on them serves no
 * such search, so none is proposed. Pure.
 */

/** `lower(title)` is searched when `title` is: a search's case folding wraps the same column. */
export function searchedColumn(column: string, wildcards: readonly string[]): boolean {
  const bare = /^\s*(?:lower|upper)\s*\((.*)\)\s*$/i.exec(column)?.[1]?.trim();
  return wildcards.includes(column) || (bare !== undefined && wildcards.includes(bare));
}
