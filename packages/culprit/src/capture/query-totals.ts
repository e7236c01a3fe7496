/**
 * A request's queries as totals and as weighted groups, counting both the
 * queries kept one by one and those folded past the probe's detail limit:
 * every reader that counts queries (trace table, budgets, viewer) goes
 * through here, so none forgets the folded ones. Pure (the viewer imports it).
 */
import type { FoldedQueries, QueryRecord, RequestRecord, SourceLocation } from './types.js';

export interface QueryTotals {
  /** Queries issued, kept and folded. */
  count: number;
  /** Rows over all of them (null rows count 0). */
  rows: number;
  durationMs: number;
  /** Queries that failed. */
  errors: number;
  /** Of `count`, how many were folded (not kept one by one). */
  folded: number;
}

/** What a reader needs of a query or a fold: one statement from one place, `count` times. */
export interface QueryGroup {
  driver: string;
  sql: string;
  location?: SourceLocation;
  count: number;
  rows: number;
  durationMs: number;
  errors: number;
}

type WithQueries = Pick<RequestRecord, 'queries' | 'foldedQueries'>;

/** Totals over kept and folded queries. */
export function queryTotals(record: WithQueries): QueryTotals {
  const totals: QueryTotals = { count: 0, rows: 0, durationMs: 0, errors: 0, folded: 0 };
  for (const query of record.queries) {
    totals.count += 1;
    totals.rows += query.rows ?? 0;
    totals.durationMs += query.durationMs;
    if (query.error !== undefined) totals.errors += 1;
  }
  for (const fold of record.foldedQueries ?? []) {
    totals.count += fold.count;
    totals.folded += fold.count;
    totals.rows += fold.rows;
    totals.durationMs += fold.durationMs;
    totals.errors += fold.errors;
  }
  return totals;
}

function fromQuery(query: QueryRecord): QueryGroup {
  const group: QueryGroup = {
    driver: query.driver,
    sql: query.sql,
    count: 1,
    rows: query.rows ?? 0,
    durationMs: query.durationMs,
    errors: query.error === undefined ? 0 : 1,
  };
  if (query.location) group.location = query.location;
  return group;
}

function fromFold(fold: FoldedQueries): QueryGroup {
  const group: QueryGroup = {
    driver: fold.driver,
    sql: fold.sql,
    count: fold.count,
    rows: fold.rows,
    durationMs: fold.durationMs,
    errors: fold.errors,
  };
  if (fold.location) group.location = fold.location;
  return group;
}

/** Every kept query (count 1), then every fold (its count): for grouping by site or shape. */
export function* queryGroups(record: WithQueries): Generator<QueryGroup> {
  for (const query of record.queries) yield fromQuery(query);
  for (const fold of record.foldedQueries ?? []) yield fromFold(fold);
}
