/**
 * The facts the rules reason over, gathered once per capture: per endpoint,
 * its typical run (median time: not the cold first one, not an outlier) with
 * its queries resolved to app lines, items and totals; and the profile's CPU
 * charged to app lines. Pure.
 */
import type { Capture, RequestRecord } from '../../capture/types.js';
import type { TableDeclaration } from '../schema/declaration.js';
import type { ReadSource } from '../snippets.js';
import { type CpuFacts, cpuFactsOf } from './cpu-facts.js';
import { hiddenCallSite } from './hidden-call-site.js';
import { type OperationFact, remoteFactsOf, remoteFunnelsOf, timelineOf } from './operation-facts.js';
import { type FunnelIndex, funnelsOf, type QueryFact, queryFactsOf } from './query-facts.js';
import { sqlShape } from './sql-shape.js';

export interface RequestFacts {
  /** The typical run of the endpoint. */
  request: RequestRecord;
  /** Every run of the endpoint in the capture. */
  runs: RequestRecord[];
  /** `GET /api/articles`: method and path without the query string. */
  endpoint: string;
  /** Items the response carried; 1 when the body was not JSON. */
  items: number;
  itemsPath?: string;
  queries: QueryFact[];
  queryCount: number;
  rows: number;
  queryMs: number;
  /** Outbound HTTP calls and Redis round trips, sites resolved. */
  remote: OperationFact[];
  /** Queries with a start and the remote operations, in start order: the request's time axis. */
  timeline: OperationFact[];
}

export interface DiagnosisFacts {
  capture: Capture;
  requests: RequestFacts[];
  cpu?: CpuFacts;
  funnels: FunnelIndex;
  /** The target's sources when the capture is made (absent for a capture read from a file). */
  readSource?: ReadSource;
  /** Where the application declares its tables and indexes, as read through the same sources. */
  schema?: readonly TableDeclaration[];
}

export function endpointOf(request: RequestRecord): string {
  return `${request.method} ${request.url.split('?')[0] ?? request.url}`;
}

function median(runs: RequestRecord[]): RequestRecord {
  const answered = runs.filter((run) => !run.error && run.status < 400);
  const pool = answered.length > 0 ? answered : runs;
  const sorted = [...pool].sort((a, b) => a.wallMs - b.wallMs);
  return sorted[Math.floor((sorted.length - 1) / 2)] as RequestRecord;
}

export function factsOf(
  capture: Capture,
  readSource?: ReadSource,
  schema?: readonly TableDeclaration[],
): DiagnosisFacts {
  const funnels = funnelsOf(capture.requests, readSource);
  const remoteFunnels = remoteFunnelsOf(capture.requests);
  const byEndpoint = new Map<string, RequestRecord[]>();
  for (const request of capture.requests) {
    const key = endpointOf(request);
    byEndpoint.set(key, [...(byEndpoint.get(key) ?? []), request]);
  }
  const requests = [...byEndpoint].map(([endpoint, runs]): RequestFacts => {
    const request = median(runs);
    const queries = withSitesFromRuns(queryFactsOf(request, funnels), request, runs, funnels).map((query) =>
      withHiddenSite(query, capture, readSource),
    );
    const remote = remoteFactsOf(request, remoteFunnels);
    const facts: RequestFacts = {
      request,
      runs,
      endpoint,
      items: Math.max(request.items ?? 1, 0),
      queries,
      queryCount: queries.reduce((sum, q) => sum + q.count, 0),
      rows: queries.reduce((sum, q) => sum + q.rows, 0),
      queryMs: queries.reduce((sum, q) => sum + q.durationMs, 0),
      remote,
      timeline: timelineOf(queries, request, remote),
    };
    if (request.itemsPath !== undefined) facts.itemsPath = request.itemsPath;
    return facts;
  });
  const cpu = cpuFactsOf(capture.profile);
  return {
    capture,
    requests,
    funnels,
    ...(cpu ? { cpu } : {}),
    ...(readSource ? { readSource } : {}),
    ...(schema && schema.length > 0 ? { schema } : {}),
  };
}

/**
 * A query with no app frame (a handler returned the library's promise unawaited) gets the line of the app
 * function that ran and calls the library's entry point, when the sources and the profile name one.
 */
function withHiddenSite(query: QueryFact, capture: Capture, readSource: ReadSource | undefined): QueryFact {
  if (query.chain.length > 0 || query.statementLine || !query.libraryCall || !readSource || !capture.profile)
    return query;
  const site = hiddenCallSite(query.libraryCall, capture.profile.functions, readSource, sqlShape(query.sql).table);
  return site ? { ...query, statementLine: site, site } : query;
}

/**
 * A statement whose stack reached no app frame in this run takes its place
 * from a run of the same request where it did. V8's async stack trace does
 * not always reach the awaiting app function: TypeORM 0.3 on better-sqlite3
 * gave the handler's frame on the first request only (blind corpus23), so
 * the median run's slow query had no line to name.
 */
function withSitesFromRuns(
  queries: QueryFact[],
  request: RequestRecord,
  runs: readonly RequestRecord[],
  funnels: FunnelIndex,
): QueryFact[] {
  if (runs.length < 2 || queries.every((query) => query.chain.length > 0)) return queries;
  const placed = new Map<string, QueryFact>();
  for (const run of runs) {
    if (run === request) continue;
    for (const other of queryFactsOf(run, funnels)) {
      if (other.chain.length > 0 && !placed.has(other.sql)) placed.set(other.sql, other);
    }
  }
  return queries.map((query) => {
    const other = query.chain.length === 0 ? placed.get(query.sql) : undefined;
    if (!other) return query;
    const { chain, statementLine, site, resumedAt, builtAt } = other;
    return {
      ...query,
      chain,
      ...(statementLine ? { statementLine } : {}),
      ...(site ? { site } : {}),
      ...(resumedAt ? { resumedAt } : {}),
      ...(builtAt ? { builtAt } : {}),
    };
  });
}

/** Did the typical run answer (a status below 400, no transport error)? Rules judge only such runs. */
export function answered(facts: RequestFacts): boolean {
  return !facts.request.error && facts.request.status < 400;
}
