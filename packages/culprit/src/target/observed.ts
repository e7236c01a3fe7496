/**
 * Builds what `RunningTarget.send` returns from what the probe recorded and
 * what the transport saw. Values are raw (SQL text, URL and params as sent):
 * trace normalizes and redacts them when it writes the capture.
 */
import type { QueryRecord } from '../capture/types.js';
import type { ProbeRequest } from '../probe/protocol.js';
import { LocationInterner } from './intern-locations.js';
import type { ObservedRequest, TargetRequest } from './types.js';

/** A record from the probe, numbered; repeated locations and stacks share one object. */
export function observedFrom(id: number, record: ProbeRequest): ObservedRequest {
  const interner = new LocationInterner();
  const queries: QueryRecord[] = record.queries.map((query) => interner.query({ ...query }));
  const observed: ObservedRequest = {
    id,
    method: record.method,
    url: record.url,
    status: record.status,
    wallMs: record.wallMs,
    cpuMs: record.cpuMs,
    bytes: record.bytes,
    queries,
    constructions: record.constructions,
  };
  if (record.foldedQueries?.length) observed.foldedQueries = record.foldedQueries.map((fold) => interner.query(fold));
  if (record.items !== undefined) observed.items = record.items;
  if (record.itemsPath !== undefined) observed.itemsPath = record.itemsPath;
  if (record.blockingMs !== undefined) observed.blockingMs = record.blockingMs;
  if (record.bodyHead !== undefined) observed.bodyHead = record.bodyHead;
  return observed;
}

/** A request that produced no probe record (transport failure, or served elsewhere). */
export function failedRequest(
  id: number,
  request: TargetRequest,
  status: number,
  error: string,
  wallMs: number,
): ObservedRequest {
  return {
    id,
    method: request.method,
    url: request.path,
    status,
    wallMs,
    cpuMs: 0,
    bytes: 0,
    queries: [],
    constructions: [],
    error,
  };
}
