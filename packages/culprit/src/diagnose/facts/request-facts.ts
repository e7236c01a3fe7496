/**
 * The facts the rules reason over, gathered once per capture: per endpoint,
 * its typical run (median time: not the cold first one, not an outlier) with
 * its queries resolved to app lines, items and totals; and the profile's CPU
 * charged to app lines. Pure.
 */
import type { Capture, RequestRecord } from '../../capture/types.js';
import { type CpuFacts, cpuFactsOf } from './cpu-facts.js';
import { type FunnelIndex, funnelsOf, type QueryFact, queryFactsOf } from './query-facts.js';

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
}

export interface DiagnosisFacts {
  capture: Capture;
  requests: RequestFacts[];
  cpu?: CpuFacts;
  funnels: FunnelIndex;
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

export function factsOf(capture: Capture): DiagnosisFacts {
  const funnels = funnelsOf(capture.requests);
  const byEndpoint = new Map<string, RequestRecord[]>();
  for (const request of capture.requests) {
    const key = endpointOf(request);
    byEndpoint.set(key, [...(byEndpoint.get(key) ?? []), request]);
  }
  const requests = [...byEndpoint].map(([endpoint, runs]): RequestFacts => {
    const request = median(runs);
    const queries = queryFactsOf(request, funnels);
    const facts: RequestFacts = {
      request,
      runs,
      endpoint,
      items: Math.max(request.items ?? 1, 0),
      queries,
      queryCount: queries.reduce((sum, q) => sum + q.count, 0),
      rows: queries.reduce((sum, q) => sum + q.rows, 0),
      queryMs: queries.reduce((sum, q) => sum + q.durationMs, 0),
    };
    if (request.itemsPath !== undefined) facts.itemsPath = request.itemsPath;
    return facts;
  });
  const cpu = cpuFactsOf(capture.profile);
  return { capture, requests, funnels, ...(cpu ? { cpu } : {}) };
}

/** Did the typical run answer (a status below 400, no transport error)? Rules judge only such runs. */
export function answered(facts: RequestFacts): boolean {
  return !facts.request.error && facts.request.status < 400;
}
