/**
 * The JSON-lines protocol between the CLI and the probe, over the unix socket
 * named by CULPRIT_PROBE_SOCKET. Type-only, so both sides import it freely.
 *
 * The probe speaks first (`hello`), then reports `listening` ports (command
 * mode) or `host.ready` / `host.failed` (module mode), and pushes one `request`
 * record per finished request. The CLI sends `call`s; the probe answers each
 * with `result` or `error` carrying the same id.
 */
import type {
  BlockingStretch,
  Construction,
  FoldedQueries,
  HttpCallRecord,
  LogpointHit,
  NetworkUse,
  RedisCallRecord,
  RowsRead,
  SourceLocation,
  StackCapture,
} from '../capture/types.js';

/** Environment variable holding the socket path (inherited by every process of the target's tree). */
export const SOCKET_ENV = 'CULPRIT_PROBE_SOCKET';
/** Environment variable naming the module the host imports (module mode). */
export const MODULE_ENV = 'CULPRIT_MODULE';
/** Environment variable naming the export to serve or call (`--app MODULE#NAME`); empty: the documented defaults. */
export const MODULE_EXPORT_ENV = 'CULPRIT_MODULE_EXPORT';
/**
 * Header on every request culprit sends (`<run token>-<number>`): the probe
 * records in full only requests that carry it, so a health check or a
 * browser reaching the server meanwhile is never taken for culprit's request.
 */
export const MARKER_HEADER = 'x-culprit-request';

export interface HelloMessage {
  type: 'hello';
  pid: number;
  ppid: number;
  argv: string[];
  nodeVersion: string;
  platform: string;
}

export interface ListeningMessage {
  type: 'listening';
  port: number;
  address: string;
  /** True for a TLS server (https.createServer): culprit then speaks HTTPS to it. */
  secure?: boolean;
}

export interface HostReadyMessage {
  type: 'host.ready';
  /** Adapter used (nest, express, fastify, koa, hono, server, listener, fetch). */
  framework: string;
  /** Export it came from (`default`, `app`, …); empty when the module started a server itself. */
  exportName: string;
  /** The port of the server the module started on its own (served in memory all the same). */
  startedPort?: number;
}

export interface HostFailedMessage {
  type: 'host.failed';
  message: string;
  /** True when the module loaded but exported nothing usable (a usage error, not a crash). */
  nothingUsable: boolean;
}

/**
 * A query as the probe hands it over: raw params (the CLI normalizes and
 * redacts), and its SQL text, location and stack as indexes into the
 * record's `tables`, so a loop of 2,000 queries sends its statement and its
 * 40-frame stack once, not 2,000 times.
 */
export interface ProbeQuery {
  driver: string;
  /** Index into `tables.statements` (raw SQL text). */
  sqlId: number;
  durationMs: number;
  rows: number | null;
  /** What the rows weigh (first row × rows), with the wide columns' names: never values. */
  read?: RowsRead;
  /** Milliseconds from the request's start to the query's issue. */
  startMs?: number;
  params?: unknown[];
  error?: string;
  /** Index into `tables.locations`: the first application frame. */
  locationId?: number;
  /** Index into `tables.locations`: where a query builder made the statement, when not `locationId`'s line. */
  builtAtId?: number;
  /** Index into `tables.stacks` (with `--stacks`). */
  stackId?: number;
}

/** What the queries of one record share, each entry sent once. */
export interface QueryTables {
  /** Distinct raw SQL texts. */
  statements: string[];
  /** Distinct source-mapped frames. */
  locations: SourceLocation[];
  /** Distinct stacks, innermost first, as indexes into `locations`. */
  stacks: number[][];
}

/** An outbound HTTP call as the probe hands it over: the raw URL (the CLI folds and redacts it). */
export interface ProbeHttpCall extends Omit<HttpCallRecord, 'path' | 'valuesKey'> {}

/** A Redis round trip as the probe hands it over: raw key and arguments (the CLI folds and drops them). */
export interface ProbeRedisCall extends Omit<RedisCallRecord, 'valuesKey'> {
  /** The command's arguments (at most 16, strings cut at 256 characters), for the values key only. */
  args?: string[];
}

/** One finished request as the probe measured it. */
export interface ProbeRequest {
  method: string;
  url: string;
  status: number;
  wallMs: number;
  cpuMs: number;
  bytes: number;
  items?: number;
  /** Where the counted collection sits in the body (`articles`, `data.items`). */
  itemsPath?: string;
  blockingMs?: number;
  /** Synchronous stretches on the request's time axis. */
  blocking?: BlockingStretch[];
  http?: ProbeHttpCall[];
  redis?: ProbeRedisCall[];
  droppedOperations?: number;
  network?: NetworkUse[];
  databaseClients?: string[];
  /** First bytes of the body when the status is >= 400. */
  bodyHead?: string;
  /** Served while the CPU profile ran: times, status and a failing body's head only (bytes 0, no items or blocking figure). */
  timedOnly?: true;
  /** The probe's own number for the request (RequestScope.requestId), which breakpoint events carry. */
  scopeId: number;
  /** The request's MARKER_HEADER value: which of culprit's sends this record belongs to ('' for traffic `culprit watch` saw). */
  marker: string;
  /** The route template the framework's router matched (watch mode; absent when no router said). */
  route?: string;
  /** The router that gave `route` (express, fastify). */
  routeFrom?: string;
  /** The first queries one by one (up to the probe's QUERY_DETAIL_LIMIT). */
  queries: ProbeQuery[];
  /** The statements, locations and stacks `queries` point into. */
  tables: QueryTables;
  /** The queries past that limit, folded by shape and line (SQL already normalized). */
  foldedQueries?: FoldedQueries[];
  constructions: Construction[];
}

export interface RequestMessage {
  type: 'request';
  record: ProbeRequest;
}

/** Requests culprit did not send (no MARKER_HEADER), one route per message: counted apart, never recorded in full. */
export interface OtherRequestMessage {
  type: 'request.other';
  method: string;
  /** The path without its query (query values may be secrets). */
  path: string;
  status: number;
  /** How many the probe answered on this route since its last batch. */
  count: number;
}

/** Numbers per request in WatchRowsMessage.rows. */
export const WATCH_ROW_FIELDS = 8;

/**
 * `culprit watch`: the requests counted without detail (not in the sample)
 * since the last batch: one message per batch, not per request.
 */
export interface WatchRowsMessage {
  type: 'watch.rows';
  /** `[method, route, from]` of each route the rows point at; `from` is the router, or `folded` (ids folded in the path). */
  routes: Array<[string, string, string]>;
  /**
   * WATCH_ROW_FIELDS numbers per request: route index, status, wall ms, CPU
   * ms, queries, rows, HTTP calls, and when it finished (Unix ms).
   */
  rows: number[];
}

/** An event of the breakpoint agent (`--log` hit, `--when` stack, fault). */
export interface BreakpointEventMessage {
  type: 'breakpoint';
  event:
    | { type: 'log'; hit: LogpointHit }
    | { type: 'stop'; capture: StackCapture }
    | { type: 'fault'; message: string };
}

/** Per spec when breakpoints stop: condition evaluations, hits recorded, estimated cost. */
export interface BreakpointSummary {
  spec: string;
  hits: number;
  recorded: number;
  overheadMs: number;
  /** Hits where the `--when` condition or a `--log` expression threw. */
  errors?: number;
  /** The first of those errors (`ReferenceError: x is not defined`). */
  firstError?: string;
}

export interface ResultMessage {
  type: 'result';
  id: number;
  result: unknown;
}

export interface ErrorMessage {
  type: 'error';
  id: number;
  message: string;
  /** A CulpritError's code when the probe threw one (e.g. CULPRIT_E_UNKNOWN_LOG_TARGET). */
  code?: string;
}

export type ProbeMessage =
  | HelloMessage
  | ListeningMessage
  | HostReadyMessage
  | HostFailedMessage
  | RequestMessage
  | OtherRequestMessage
  | WatchRowsMessage
  | BreakpointEventMessage
  | ResultMessage
  | ErrorMessage;

export interface CallMessage {
  type: 'call';
  id: number;
  method: string;
  params: unknown;
}

/** What `trace.configure` switches on (all off until the CLI asks). */
export interface TraceConfig {
  queries: boolean;
  constructions: boolean;
  /** Keep full source-mapped stacks for queries (`--stacks`). */
  stacks: boolean;
  /** Record every request the server answers, not only culprit's marked ones (`culprit watch`). */
  watch?: boolean;
}

/** `inject` params in module mode: one request handed to the app in-process. */
export interface InjectParams {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface InjectResult {
  /** The response's status (its body is not read: the probe's record has its size). */
  status: number;
}
