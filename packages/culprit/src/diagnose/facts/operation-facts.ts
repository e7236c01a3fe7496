/**
 * Every operation of a request on one time axis, as diagnosis evidence:
 * queries (with their start), outbound HTTP calls and Redis round trips,
 * each with its application call chain and the line a fix belongs to. They
 * share QueryFact's shape (statement → `sql`, driver → `driver`) so the loop
 * and funnel logic written for queries places HTTP and Redis loops too. Pure.
 */
import type { HttpCallRecord, RedisCallRecord, RequestRecord, SourceLocation } from '../../capture/types.js';
import { resumedAppFrame } from './app-frames.js';
import { appChainOf, FunnelIndex, type QueryFact } from './query-facts.js';

export type OperationKind = 'sql' | 'http' | 'redis';

export interface OperationFact extends QueryFact {
  kind: OperationKind;
  /** Milliseconds from the request's start; absent for queries whose driver did not say. */
  startMs?: number;
  /** For HTTP: the origin called (`http://users.internal:4000`). */
  origin?: string;
  /** For HTTP: the response status, absent when it failed first. */
  status?: number;
  /** For HTTP: the request method (`POST`). */
  method?: string;
  /** Commands in a Redis round trip. */
  commands?: number;
  /** For Redis: the command in capitals (`KEYS`), `PIPELINE` or `MULTI` for a batch. */
  command?: string;
  /** For Redis: the reply's approximate size in bytes, when known. */
  replyBytes?: number;
  /** One line for evidence: `GET http://h/users/:id`, `GET user:?`, the SQL. */
  label: string;
}

/** `GET http://127.0.0.1:4000/users/:id`: what the calls of one endpoint share. */
export function httpShape(call: HttpCallRecord): string {
  return `${call.method} ${call.origin}${call.path}`;
}

/** `GET user:?:profile`, or `PIPELINE (GET ×3)`: what the round trips of one kind share. */
export function redisShape(call: RedisCallRecord): string {
  if (call.batch !== undefined && call.commands > 1) return `${call.command} (${call.batch})`;
  return call.key === undefined ? call.command : `${call.command} ${call.key}`;
}

function base(
  kind: OperationKind,
  shape: string,
  record: {
    durationMs: number;
    stack?: SourceLocation[];
    location?: SourceLocation;
    valuesKey?: string;
    error?: string;
  },
): OperationFact {
  const fact: OperationFact = {
    kind,
    driver: kind,
    sql: shape,
    label: shape,
    count: 1,
    rows: 0,
    rowsKnown: false,
    durationMs: record.durationMs,
    chain: appChainOf(record.stack, record.location),
  };
  const resumed = resumedAppFrame(record.stack ?? []);
  if (resumed) fact.resumedAt = resumed;
  if (record.valuesKey !== undefined) fact.valuesKey = record.valuesKey;
  if (record.error !== undefined) fact.error = record.error;
  return fact;
}

/** The request's HTTP and Redis operations as facts, in issue order (sites not yet resolved). */
function remoteFacts(request: RequestRecord): OperationFact[] {
  const facts: OperationFact[] = [];
  for (const call of request.http ?? []) {
    const fact = base('http', httpShape(call), call);
    fact.startMs = call.startMs;
    fact.origin = call.origin;
    // a capture from an older culprit, or a counted call, may carry no method
    if (typeof call.method === 'string') fact.method = call.method.toUpperCase();
    if (call.status !== undefined) fact.status = call.status;
    facts.push(fact);
  }
  for (const call of request.redis ?? []) {
    const fact = base('redis', redisShape(call), call);
    fact.startMs = call.startMs;
    fact.commands = call.commands;
    fact.command = call.command;
    if (call.replyBytes !== undefined) fact.replyBytes = call.replyBytes;
    facts.push(fact);
  }
  return facts;
}

/** Steps out of the chain from its innermost frame while `skip` holds; never past the handler. */
function stepOut(chain: readonly SourceLocation[], skip: (frame: SourceLocation) => boolean) {
  for (let i = chain.length - 1; i >= 0; i--) {
    const frame = chain[i] as SourceLocation;
    if (i === 0 || !skip(frame)) return frame;
  }
  return undefined;
}

/** The funnel index of a capture's remote operations: a `getJson(path)` helper is generic, like a `db.query`. */
export function remoteFunnelsOf(requests: readonly RequestRecord[]): FunnelIndex {
  return new FunnelIndex(requests.flatMap((request) => remoteFacts(request)));
}

/** HTTP and Redis operations of a request, their sites resolved out of the app's helpers. */
export function remoteFactsOf(request: RequestRecord, funnels: FunnelIndex): OperationFact[] {
  return remoteFacts(request).map((fact) => {
    const statementLine = stepOut(fact.chain, (frame) => funnels.isGeneric(frame));
    const site = stepOut(fact.chain, (frame) => funnels.isGeneric(frame) || funnels.isShared(frame));
    if (statementLine) fact.statementLine = statementLine;
    if (site) fact.site = site;
    return fact;
  });
}

/** A request's queries (those with a start) and remote operations, one list in start order. */
export function timelineOf(queries: readonly QueryFact[], request: RequestRecord, remote: readonly OperationFact[]) {
  const timed: OperationFact[] = [];
  request.queries.forEach((query, i) => {
    const fact = queries[i];
    if (!fact || query.startMs === undefined) return;
    timed.push({ ...fact, kind: 'sql', startMs: query.startMs, label: fact.sql });
  });
  timed.push(...remote);
  return timed.sort((a, b) => (a.startMs ?? 0) - (b.startMs ?? 0));
}

/** Time covered by a set of intervals, overlaps counted once. */
export function coveredMs(ops: readonly OperationFact[]): number {
  const spans = ops
    .map((op) => [op.startMs ?? 0, (op.startMs ?? 0) + op.durationMs] as const)
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [start, stop] of spans) {
    if (stop <= end) continue;
    covered += stop - Math.max(start, end);
    end = stop;
  }
  return covered;
}
