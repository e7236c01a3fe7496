/**
 * Builds what `RunningTarget.send` returns from what the probe recorded and
 * what the transport saw. Values are raw (SQL text, URL and params as sent):
 * trace normalizes and redacts them when it writes the capture.
 */
import type { HttpCallRecord, QueryRecord, RedisCallRecord, SourceLocation } from '../capture/types.js';
import type { ProbeHttpCall, ProbeQuery, ProbeRedisCall, ProbeRequest, QueryTables } from '../probe/protocol.js';
import { keyShape, pathTemplate } from '../timeline/fold-names.js';
import { valuesKey } from '../trace/values-key.js';
import { LocationInterner } from './intern-locations.js';
import type { ObservedRequest, TargetRequest } from './types.js';

/**
 * The probe's queries as capture records. Entries of the record's tables are
 * decoded once and shared: a loop's 2,000 queries hold one SQL string and one
 * stack array between them, so a repeated query costs its own few fields.
 */
function queriesFrom(queries: readonly ProbeQuery[], tables: QueryTables): QueryRecord[] {
  const stacks: Array<SourceLocation[] | undefined> = [];
  const stackOf = (id: number): SourceLocation[] | undefined => {
    let stack = stacks[id];
    if (!stack) {
      const ids = tables.stacks[id];
      if (!ids) return undefined;
      stack = ids.flatMap((at) => tables.locations[at] ?? []);
      stacks[id] = stack;
    }
    return stack;
  };
  return queries.map((query) => {
    const out: QueryRecord = {
      driver: query.driver,
      sql: tables.statements[query.sqlId] ?? '',
      durationMs: query.durationMs,
      rows: query.rows,
    };
    if (query.startMs !== undefined) out.startMs = query.startMs;
    if (query.read) out.read = query.read;
    const location = query.locationId === undefined ? undefined : tables.locations[query.locationId];
    if (location) out.location = location;
    const builtAt = query.builtAtId === undefined ? undefined : tables.locations[query.builtAtId];
    if (builtAt) out.builtAt = builtAt;
    const stack = query.stackId === undefined ? undefined : stackOf(query.stackId);
    if (stack) out.stack = stack;
    if (query.params) out.params = query.params;
    if (query.error !== undefined) out.error = query.error;
    return out;
  });
}

/** A record from the probe, numbered; repeated statements, locations and stacks share one object. */
export function observedFrom(id: number, record: ProbeRequest): ObservedRequest {
  const interner = new LocationInterner();
  const queries = queriesFrom(record.queries, record.tables);
  // folds carry their own locations: the same lines as the queries', so they share those objects
  for (const location of record.tables.locations) interner.location(location);
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
  if (record.blocking?.length) observed.blocking = record.blocking;
  if (record.http?.length) observed.http = record.http.map((call) => httpCall(interner.query({ ...call })));
  if (record.redis?.length) observed.redis = record.redis.map((call) => redisCall(interner.query({ ...call })));
  if (record.droppedOperations) observed.droppedOperations = record.droppedOperations;
  if (record.network?.length) observed.network = record.network;
  if (record.databaseClients?.length) observed.databaseClients = record.databaseClients;
  if (record.route !== undefined) observed.route = record.route;
  return observed;
}

/** The URL's template (ids folded) and a values key; the raw URL stays until trace redacts it. */
function httpCall(call: ProbeHttpCall): HttpCallRecord {
  return { ...call, path: pathTemplate(call.url), valuesKey: valuesKey(`${call.method} ${call.origin}`, [call.url]) };
}

/** The key folded to its shape and the arguments reduced to a values key: Redis values never leave here. */
function redisCall(call: ProbeRedisCall): RedisCallRecord {
  const { args, key, ...rest } = call;
  const out: RedisCallRecord = { ...rest };
  if (key !== undefined) out.key = keyShape(key);
  if (args !== undefined) out.valuesKey = valuesKey(call.command, args);
  return out;
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
