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
  const frames = new FrameMapper();
  const tables = new QueryTableBuilder();
  const startedAt = scope.startedAt ?? 0;
  const record: ProbeRequest = {
    ...facts,
    scopeId: scope.requestId,
    marker: '',
    queries: scope.queries.map((query) => toProbeQuery(query, false, frames, tables, startedAt)),
    tables: tables.tables,
    ...remoteCallsOf(scope, false, frames),
    constructions: [],
  };
  if (scope.folds) record.foldedQueries = toFoldedQueries(scope.folds.values(), false, frames);
  return record;
}
