/**
 * A search whose pattern starts with a wildcard (`title LIKE '%tea%'`): which columns it matches, as
 * recorded and as a PostgreSQL plan prints them, and what serves it on each server, since no B-tree
 * index does. Pure.
 */
import { expressionColumns, likeSubjectBefore } from '../../capture/like-subject.js';
import { PLAN_DIALECT } from './plan-facts.js';

/** PostgreSQL prints LIKE as `~~` (ILIKE `~~*`) with the pattern in its plan: `((title)::text ~~ '%tea%'::text)`. */
const PG_WILD_LIKE = /\s!?~~\*?\s+'[%_]/g;

/** Columns matched against a leading-wildcard pattern: as recorded, and as a PostgreSQL plan shows them. */
export function wildcardColumns(
  driver: string,
  recorded: readonly string[] | undefined,
  plan?: readonly string[],
): string[] {
  const columns = new Set(recorded);
  if (plan && PLAN_DIALECT[driver] === 'postgresql') {
    for (const line of plan) {
      for (const match of line.matchAll(PG_WILD_LIKE)) {
        const subject = likeSubjectBefore(line, match.index);
        if (subject) columns.add(subject);
      }
    }
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
  const expression = columns.find((entry) => expressionColumns(entry));
  if (expression) return expressionAdvice(expression, expressionColumns(expression) ?? []);
  const list = columns.join(', ');
  const serves = WILDCARD_INDEX[PLAN_DIALECT[driver] ?? 'sqlite'](table, columns[0] ?? list);
  return `LIKE on ${list} with a pattern that starts with a wildcard cannot use a B-tree index (the index is ordered by the first characters, which the pattern leaves open); use ${serves}`;
}

/**
 * A search over an expression of several columns (`concat_ws(' ', title, body, authors.name) ILIKE '%…%'`): no index
 * on one of them serves it, and the expression is computed for each row the other conditions keep.
 */
function expressionAdvice(expression: string, columns: readonly string[]): string {
  // an unqualified column is the statement's own table's, which a qualified one may name too
  const named = new Set(columns.flatMap((column) => (column.includes('.') ? [column.split('.')[0]] : [])));
  const across = named.size > 1 ? `, of more than one table (${[...named].join(', ')})` : '';
  return `LIKE on ${expression}, an expression over ${columns.length} columns${across}, with a pattern that starts with a wildcard: no index on any one of them serves it, so each row the other conditions keep is read and the expression built and matched; keep the searched text in a column of its own (a generated column, or one the app writes) and search that with a trigram index or full-text search`;
}
