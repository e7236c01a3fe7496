/**
 * An open measurement's raw evidence → a `Measurement`: SQL normalized into
 * shapes, each query placed at its first application frame (source-mapped),
 * the test's own requests to servers of this process left out of its HTTP calls.
 */
import type { Construction, FoldedQueries, NetworkUse, QueryRecord, SourceLocation } from '../../capture/types.js';
import { networkFieldsOf } from '../../probe/network/index.js';
import { normalizeSql } from '../../probe/queries/normalize-sql.js';
import { FrameMapper, toFoldedQueries } from '../../probe/query-records.js';
import type { RawRedisCall } from '../../probe/remote/raw-call.js';
import { isApplicationFrame, type RawFrame, type RawQueryEvent } from '../../probe/request-context.js';
import { keyShape } from '../../timeline/fold-names.js';
import type { ActiveMeasurement, HttpCall } from './active.js';

export type { HttpCall } from './active.js';

/** A Redis round trip the callback caused (ioredis, node-redis 4/5): a command, or a pipeline / MULTI as one. */
export interface RedisCall {
  client: 'ioredis' | 'node-redis';
  /** `GET`, `HGETALL`, or `PIPELINE` / `MULTI` for a batch. */
  command: string;
  /** The first key folded to a shape (`user:?:profile`); values are never kept. */
  key?: string;
  /** Commands in the round trip: 1, or the batch's count. */
  commands: number;
  /** A batch's commands by name and count (`GET ×3`). */
  batch?: string;
  /** Until its reply; absent when it had none before the callback ended. */
  durationMs?: number;
  /** The line of the app (or test) that sent it. */
  location?: SourceLocation;
}

/** What `measure()` returns: a request record's figures for whatever the callback did. */
export interface Measurement<T = unknown> {
  label?: string;
  /** What the callback returned (the response, for assertions). */
  value: T;
  wallMs: number;
  /** CPU of the whole process while the callback ran. */
  cpuMs: number;
  /** Longest synchronous stretch while the callback ran, milliseconds (±1 ms). */
  blockingMs: number;
  /** Queries one by one, in issue order (normalized SQL, no parameter values). */
  queries: QueryRecord[];
  /** Queries past the probe's per-request detail limit, folded by shape and line. */
  foldedQueries?: FoldedQueries[];
  /** Constructions per class; counted only when asked (`measure(fn, { constructions: true })`). */
  constructions: Construction[];
  constructionsCounted: boolean;
  /** HTTP calls of the app (the test's own requests to a server of this process are not among them). */
  httpCalls: HttpCall[];
  /** Redis round trips, in issue order. */
  redisCalls: RedisCall[];
  /** Client sockets the callback's code wrote to, one row per remote (HTTP calls' sockets as kind `http`). */
  network?: NetworkUse[];
  /** Loaded packages that look like database clients, when socket writes went out and no query was recorded. */
  databaseClients?: string[];
  /** Items of the response (from the returned value or `items`), for rows per item. */
  items?: number;
  /** True when another measurement ran at the same time: constructions (process-wide counts) include its work. */
  overlapped: boolean;
}

type Figures<T> = Omit<
  Measurement<T>,
  'queries' | 'foldedQueries' | 'httpCalls' | 'redisCalls' | 'network' | 'databaseClients'
>;

/** A raw query as a record: its shape (no values) and its first application frame, source-mapped. */
function toQueryRecord(event: RawQueryEvent, frames: FrameMapper, shapes: Map<string, string>): QueryRecord {
  let sql = shapes.get(event.sql);
  if (sql === undefined) {
    sql = normalizeSql(event.sql);
    shapes.set(event.sql, sql);
  }
  const query: QueryRecord = { driver: event.driver, sql, durationMs: event.durationMs, rows: event.rows };
  if (event.error !== undefined) query.error = event.error;
  const location = appLocation(event.stack, frames);
  if (location) query.location = location;
  return query;
}

function appLocation(stack: RawFrame[], frames: FrameMapper): SourceLocation | undefined {
  const frame = stack.find((f) => isApplicationFrame(f.url, f.line));
  return (frame ? frames.map(frame) : null) ?? undefined;
}

function toRedisCall(raw: RawRedisCall, frames: FrameMapper): RedisCall {
  const call: RedisCall = { client: raw.client, command: raw.command, commands: raw.commands };
  if (raw.key !== undefined) call.key = keyShape(raw.key);
  if (raw.batch !== undefined) call.batch = raw.batch;
  if (raw.endedAt !== undefined) call.durationMs = raw.endedAt - raw.startedAt;
  const location = appLocation(raw.frames.frames(), frames);
  if (location) call.location = location;
  return call;
}

export function toMeasurement<T>(active: ActiveMeasurement, figures: Figures<T>): Measurement<T> {
  const frames = new FrameMapper();
  const shapes = new Map<string, string>(); // a loop's queries share one text: normalized once
  const queries = active.scope.queries.map((event) => toQueryRecord(event, frames, shapes));
  const folds = active.scope.folds;
  const measurement: Measurement<T> = {
    ...figures,
    queries,
    httpCalls: active.calls.filter((c) => !(c.servedHere && c.fromCallback)).map((c) => c.call),
    redisCalls: (active.scope.remote ?? []).flatMap((raw) => (raw.kind === 'redis' ? [toRedisCall(raw, frames)] : [])),
  };
  if (folds) measurement.foldedQueries = toFoldedQueries(folds.values(), false, frames);
  Object.assign(measurement, networkFieldsOf(active.scope));
  return measurement;
}
