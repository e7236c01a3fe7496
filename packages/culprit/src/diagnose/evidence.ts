import type { QueryRecord, RequestRecord, SourceLocation } from '../capture/types.js';

/** Shared reading of a request's evidence, so rules agree on what "rows" or "items" mean. */

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatMs(value: number): string {
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 1) return `${value.toFixed(1)} ms`;
  return `${(value * 1000).toFixed(0)} µs`;
}

/** `src/api/viewsets.ts:42` relative to the capture's working directory when possible. */
export function formatLocation(location: SourceLocation | undefined): string {
  if (!location) return '(unknown location)';
  const file = location.file.replace(/^file:\/\//, '');
  return `${file}:${location.line}`;
}

/** Items the response carried; a request whose body is not JSON counts as one item. */
export function responseItems(request: RequestRecord): number {
  return Math.max(request.items ?? 1, 1);
}

export function totalRows(request: RequestRecord): number {
  return request.queries.reduce((sum, query) => sum + (query.rows ?? 0), 0);
}

export function queryTimeMs(request: RequestRecord): number {
  return request.queries.reduce((sum, query) => sum + query.durationMs, 0);
}

/** The query that returned the most rows, the usual suspect for a table load. */
export function largestQuery(request: RequestRecord): QueryRecord | undefined {
  let best: QueryRecord | undefined;
  for (const query of request.queries) {
    if ((query.rows ?? 0) > (best?.rows ?? 0)) best = query;
  }
  return best;
}

/** Requests grouped by method and path without the query string, so repeated runs of one endpoint read as one. */
export function endpointOf(request: RequestRecord): string {
  return `${request.method} ${request.url.split('?')[0] ?? request.url}`;
}

/**
 * The median request of each endpoint: rules judge the typical run, not the
 * first (cold caches) or an outlier.
 */
export function typicalRequests(requests: RequestRecord[]): RequestRecord[] {
  const groups = new Map<string, RequestRecord[]>();
  for (const request of requests) {
    const key = endpointOf(request);
    const group = groups.get(key) ?? [];
    group.push(request);
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => {
    const sorted = [...group].sort((a, b) => a.wallMs - b.wallMs);
    return sorted[Math.floor((sorted.length - 1) / 2)] as RequestRecord;
  });
}

export function clampShare(value: number): number {
  if (!Number.isFinite(value) || value < 0) return 0;
  return Math.min(value, 1);
}
