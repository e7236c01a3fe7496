/**
 * A finished request's scope → the probe's wire record (queries with their
 * app lines and start offsets, folds, HTTP and Redis calls), the same shape
 * `culprit trace` receives, so the CLI's conversion and redaction apply.
 * Shared by `culprit/register` and the span processor; runs on the app's thread.
 */
import type { ProbeRequest } from '../probe/protocol.js';
import { FrameMapper, QueryTableBuilder, toFoldedQueries, toProbeQuery } from '../probe/query-records.js';
import { remoteCallsOf } from '../probe/remote/to-probe.js';
import type { RequestScope } from '../probe/request-context.js';

export interface RequestFacts {
  method: string;
  url: string;
  status: number;
  wallMs: number;
  cpuMs: number;
  bytes: number;
}

export function scopeRecord(scope: RequestScope, facts: RequestFacts): ProbeRequest {
  // one literal of one shape, filled in place: a spread of `facts` into it made V8 build new hidden
  // classes on every sampled request (a profile of the trivial server showed it as the preload's largest cost)
  const record: ProbeRequest = {
    method: facts.method,
    url: facts.url,
    status: facts.status,
    wallMs: facts.wallMs,
    cpuMs: facts.cpuMs,
    bytes: facts.bytes,
    scopeId: scope.requestId,
    marker: '',
    queries: [],
    tables: { statements: [], locations: [], stacks: [] },
    constructions: [],
  };
  // most requests issue nothing: no frame mapper or tables to build for them
  if (scope.queries.length === 0 && !scope.remote?.length && !scope.remoteDropped && !scope.folds) return record;
  const frames = new FrameMapper();
  const tables = new QueryTableBuilder();
  const startedAt = scope.startedAt ?? 0;
  record.queries = scope.queries.map((query) => toProbeQuery(query, false, frames, tables, startedAt));
  record.tables = tables.tables;
  const remote = remoteCallsOf(scope, false, frames);
  if (remote.http) record.http = remote.http;
  if (remote.redis) record.redis = remote.redis;
  if (remote.droppedOperations !== undefined) record.droppedOperations = remote.droppedOperations;
  if (scope.folds) record.foldedQueries = toFoldedQueries(scope.folds.values(), false, frames);
  return record;
}
