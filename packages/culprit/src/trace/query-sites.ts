/**
 * Groups a request's queries by the application line that issued them: the
 * figure that shows an N+1 (one site, many queries) or a table scan (one
 * site, many rows). Pure.
 */
import { type QueryGroup, queryGroups } from '../capture/query-totals.js';
import type { QueryRecord, RequestRecord, SourceLocation } from '../capture/types.js';

export interface QuerySite {
  location?: SourceLocation;
  queries: number;
  /** Sum of rows over the site's queries (null rows count 0). */
  rows: number;
  durationMs: number;
  /** The site's most frequent normalized SQL. */
  sql: string;
  /** Distinct statements issued from the site. */
  statements: number;
}

function key(location: SourceLocation | undefined): string {
  return location ? `${location.file}:${location.line}` : '(unknown)';
}

/**
 * Sites ordered by total time, then rows. Takes a request (its kept and
 * folded queries both count) or, for a plain list, the queries themselves.
 */
export function querySites(from: QueryRecord[] | Pick<RequestRecord, 'queries' | 'foldedQueries'>): QuerySite[] {
  const groups: Iterable<QueryGroup> = queryGroups(Array.isArray(from) ? { queries: from } : from);
  const sites = new Map<string, { site: QuerySite; sqlCounts: Map<string, number> }>();
  for (const query of groups) {
    const k = key(query.location);
    let entry = sites.get(k);
    if (!entry) {
      const site: QuerySite = { queries: 0, rows: 0, durationMs: 0, sql: query.sql, statements: 0 };
      if (query.location) site.location = query.location;
      entry = { site, sqlCounts: new Map() };
      sites.set(k, entry);
    }
    entry.site.queries += query.count;
    entry.site.rows += query.rows;
    entry.site.durationMs += query.durationMs;
    entry.sqlCounts.set(query.sql, (entry.sqlCounts.get(query.sql) ?? 0) + query.count);
  }
  return [...sites.values()]
    .map(({ site, sqlCounts }) => {
      const [sql] = [...sqlCounts].sort((a, b) => b[1] - a[1])[0] ?? [site.sql];
      return { ...site, sql, statements: sqlCounts.size };
    })
    .sort((a, b) => b.durationMs - a.durationMs || b.rows - a.rows);
}
