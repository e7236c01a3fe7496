/**
 * Which statements of a request the slow-query rule reports: each slow one once (by its identity), in most
 * of the request's runs; statements that need the same index as one group (their times summed); and
 * lookups that each read a different table whole, each under its share, that together are the request's
 * time. Pure.
 */
import { isCheapPlan } from '../facts/plan-cost.js';
import type { QueryFact } from '../facts/query-facts.js';
import { queuedBehindLoop } from '../facts/queued-behind-loop.js';
import type { RequestFacts } from '../facts/request-facts.js';
import { indexColumns } from '../facts/statement-columns.js';
import { settings } from '../settings.js';
import { identity, sharedScans, unindexedTogether } from './scan-groups.js';
import { beyondLoops, isSlow, scansToFilter, slowInRuns } from './slow-in-runs.js';

export interface SlowStatement {
  query: QueryFact;
  /** One run's time of the statement, or the group's summed time. */
  perQuery: number;
  /** Statements that need the same index, `query` among them. */
  together?: readonly QueryFact[];
}

export function slowStatements(request: RequestFacts): SlowStatement[] {
  const seen = new Set<string>();
  const reported = new Set<string>();
  const found: SlowStatement[] = [];
  for (const query of request.queries) {
    const perQuery = query.durationMs / query.count;
    const requestMs = beyondLoops(request.request, query.sql);
    if (!isSlow(perQuery, requestMs, scansToFilter(query))) continue;
    if (!isSlow(perQuery - queuedBehindLoop(query, request.request) / query.count, requestMs, scansToFilter(query)))
      continue;
    // tens of milliseconds for a plan of a few hundred pages were spent waiting; from slowQueryMs on, say it anyway
    if (perQuery < settings.slowQueryMs && isCheapPlan(query)) continue;
    const key = identity(query);
    if (seen.has(key)) continue;
    seen.add(key);
    if (slowInRuns(request, query) * 2 <= request.runs.length) continue;
    reported.add(key);
    found.push({ query, perQuery });
  }
  const shared = sharedScans(request, reported);
  for (const group of shared) {
    const lead = [...group].sort((a, b) => indexColumns(b.sql).length - indexColumns(a.sql).length)[0] as QueryFact;
    found.push({ query: lead, perQuery: group.reduce((sum, q) => sum + q.durationMs, 0), together: group });
  }
  for (const query of unindexedTogether(request, reported, shared.flat()))
    found.push({ query, perQuery: query.durationMs / query.count });
  return found;
}
