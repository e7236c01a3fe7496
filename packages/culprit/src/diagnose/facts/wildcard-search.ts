/**
 * A search whose pattern starts with a wildcard (`title LIKE '%tea%'`): which columns it matches, as
 * recorded and as a PostgreSQL plan prints them, and what serves it on each server, since no B-tree
 * index does. Pure.
 */
import { expressionColumns, likeSubjectBefore } from '../../capture/like-subject.js';
import { PLAN_DIALECT } from './plan-facts.js';

/** PostgreSQL prints LIKE as `~~` (ILIKE `~~*`) with the pattern in its plan: `((title)::text ~~ '%tea%'::text)`. */
const PG_WILD_LIKE = /\s!?~~\*?\s+'[%_]/g;
/**
 * A POSIX regular expression match (`~`, `~*`) whose pattern is not anchored at the start by `^` (a search box
 * sent as `{"$regex": "tea"}`) finds its text anywhere in the value, as a leading wildcard does; a trigram
 * index serves both.
 */
const PG_OPEN_REGEX = /\s!?~\*?\s+'(?!\^)/g;

/** Columns matched against a leading-wildcard pattern: as recorded, and as a PostgreSQL plan shows them. */
export function wildcardColumns(
  driver: string,
  recorded: readonly string[] | undefined,
  plan?: readonly string[],
): string[] {
  const columns = new Set(recorded);
  if (plan && PLAN_DIALECT[driver] === 'postgresql') {
    for (const line of plan) {
      for (const match of [...line.matchAll(PG_WILD_LIKE), ...line.matchAll(PG_OPEN_REGEX)]) {
        const subject = likeSubjectBefore(line, match.index);
        if (subject) columns.add(subject);
      }
    }
  }
  return [...columns];
}

/**
 * The expression a trigram index must be on for the planner to use it: `lower(title)` where the statement
 * compares `LOWER("t"."title") LIKE …`, else the column itself.
 */
function trigramKey(column: string, sql: string | undefined): string {
  const name = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const folded =
    sql &&
    new RegExp(
      `\\b(lower|upper)\\s*\\(\\s*(?:[\\w$"\`]+\\.)?["\`]?${name}["\`]?\\s*\\)\\s*(?:not\\s+)?i?like\\b`,
      'i',
    ).exec(sql);
  return folded?.[1] ? `${folded[1].toLowerCase()}(${column})` : column;
}

/** PostgreSQL: one trigram index per searched column; an OR of searches is served only when each has its own. */
function trigramIndexes(table: string, columns: readonly string[], sql: string | undefined): string {
  const indexes = columns.map(
    (column) => `CREATE INDEX ON ${table} USING gin (${trigramKey(column, sql)} gin_trgm_ops)`,
  );
  const each =
    columns.length > 1
      ? ', one for each searched column (an OR of them is served only when every one has its own)'
      : '';
  return `a trigram index${each} (CREATE EXTENSION pg_trgm; ${indexes.join('; ')}) or full-text search (to_tsvector/to_tsquery)`;
}

/** What serves a leading-wildcard match instead of a B-tree index, on each server. */
const WILDCARD_INDEX: Record<'postgresql' | 'mysql' | 'sqlite', (table: string, column: string) => string> = {
  postgresql: (table, column) => trigramIndexes(table, [column], undefined),
  mysql: (table, column) =>
    `full-text search (ALTER TABLE ${table} ADD FULLTEXT (${column}); MATCH (${column}) AGAINST (…)) or a search index outside the database`,
  sqlite: (table, column) => `full-text search (an FTS5 table over ${table}.${column}, queried with MATCH)`,
};

/** Why no B-tree index serves `column LIKE '%…'`, and what does, in the driver's server's terms. */
export function wildcardAdvice(driver: string, table: string, columns: readonly string[], sql?: string): string {
  const expression = columns.find((entry) => expressionColumns(entry));
  if (expression) return expressionAdvice(expression, expressionColumns(expression) ?? []);
  const list = columns.join(', ');
  const dialect = PLAN_DIALECT[driver] ?? 'sqlite';
  const serves =
    dialect === 'postgresql' ? trigramIndexes(table, columns, sql) : WILDCARD_INDEX[dialect](table, columns[0] ?? list);
  const matched = sql && /\s!?~\*?\s/.test(sql) ? 'a regular expression match' : 'LIKE';
  return `${matched} on ${list} with a pattern that starts with a wildcard cannot use a B-tree index (the index is ordered by the first characters, which the pattern leaves open); use ${serves}`;
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
