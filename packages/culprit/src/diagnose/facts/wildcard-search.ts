/**
 * A search whose pattern starts with a wildcard (`title LIKE '%tea%'`): which columns it matches, as
 * recorded and as a PostgreSQL plan prints them, and what serves it on each server, since no B-tree
 * index does. Pure.
 */
import { PLAN_DIALECT } from './plan-facts.js';

/** PostgreSQL prints LIKE as `~~` (ILIKE `~~*`) with the pattern in its plan: `((title)::text ~~ '%tea%'::text)`. */
const PG_WILD_LIKE = /\(?"?([\w$]+)"?\)?(?:::[\w ]+)?\s+!?~~\*?\s+'[%_]/g;

/** Columns matched against a leading-wildcard pattern: as recorded, and as a PostgreSQL plan shows them. */
export function wildcardColumns(
  driver: string,
  recorded: readonly string[] | undefined,
  plan?: readonly string[],
): string[] {
  const columns = new Set(recorded);
  if (plan && PLAN_DIALECT[driver] === 'postgresql') {
    for (const line of plan) for (const match of line.matchAll(PG_WILD_LIKE)) if (match[1]) columns.add(match[1]);
  }
  return [...columns];
}

/** What serves a leading-wildcard match instead of a B-tree index, on each server. */
const WILDCARD_INDEX: Record<'postgresql' | 'mysql' | 'sqlite', (table: string, column: string) => string> = {
  postgresql: (table, column) =>
    `a trigram index (CREATE EXTENSION pg_trgm; CREATE INDEX ON ${table} USING gin (${column} gin_trgm_ops)) or full-text search (to_tsvector/to_tsquery)`,
  mysql: (table, column) =>
    `full-text search (ALTER TABLE ${table} ADD FULLTEXT (${column}); MATCH (${column}) AGAINST (…)) or a search index outside the database`,
  sqlite: (table, column) => `full-text search (an FTS5 table over ${table}.${column}, queried with MATCH)`,
};

/** Why no B-tree index serves `column LIKE '%…'`, and what does, in the driver's server's terms. */
export function wildcardAdvice(driver: string, table: string, columns: readonly string[]): string {
  const list = columns.join(', ');
  const serves = WILDCARD_INDEX[PLAN_DIALECT[driver] ?? 'sqlite'](table, columns[0] ?? list);
  return `LIKE on ${list} with a pattern that starts with a wildcard cannot use a B-tree index (the index is ordered by the first characters, which the pattern leaves open); use ${serves}`;
}
