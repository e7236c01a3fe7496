/**
 * The capture: everything culprit learned about a target, as plain JSON.
 *
 * It is the pivot of the pipeline (DESIGN.md): gathering code (bench, trace,
 * profile) writes one; analysis (diagnose), renderers (text, HTML viewer) and
 * exporters read it and nothing else, so `culprit view capture.json` works
 * offline and tests feed hand-made captures. This file is the schema's
 * documentation: every field says what it means and in which unit.
 *
 * Compatibility: readers accept `schema === CAPTURE_SCHEMA`. Adding an optional
 * field keeps the version; removing or changing the meaning of one bumps it.
 * This module is pure: no `node:*` imports, so the viewer can import it.
 */

import type { ProfileData } from './profile-types.js';
import type { BlockingStretch, HttpCallRecord, NetworkUse, RedisCallRecord } from './timeline-types.js';
import type { WatchSummary } from './watch-types.js';

export type { CallTreeNode, FunctionCategory, ProfileData, ProfileFunction } from './profile-types.js';
export type { BlockingStretch, HttpCallRecord, NetworkUse, RedisCallRecord, TimedOperation } from './timeline-types.js';
export type { RouteStats, WatchSummary } from './watch-types.js';

export const CAPTURE_SCHEMA = 'culprit.capture/1' as const;

export interface Capture {
  schema: typeof CAPTURE_SCHEMA;
  /** ISO-8601 time the capture was written. */
  createdAt: string;
  tool: { name: 'culprit'; version: string; command: string };
  target: TargetInfo;
  /** One record per request observed or injected, in completion order. */
  requests: RequestRecord[];
  /** Present when a profile was taken (`culprit profile`). */
  profile?: ProfileData;
  /** Present when `culprit diagnose` (or `--diagnose`) ran over this capture. */
  findings?: Finding[];
  /** What each diagnosed endpoint cost and how much of it the findings explain. */
  totals?: DiagnosisTotals[];
  /**
   * The application's source lines around the lines its recorded operations
   * were issued from, kept when `culprit diagnose` read the sources, so a
   * later `culprit diagnose capture.json` (which opens no file) judges what
   * only the code tells (independent awaits, loops) as the first run did.
   */
  sources?: SourceExcerpt[];
  /** Present when a load run (`culprit bench`) is part of the capture. */
  bench?: BenchSummary;
  /** Logpoint hits (`--log`), in order. */
  logs?: LogpointHit[];
  /** Stacks captured by `--when` conditions. */
  stops?: StackCapture[];
  /**
   * Things the user should know about how the capture was made (overheads,
   * reductions, truncations, how often the request was sent). A note starting
   * with `partial:` says the capture lacks part of what was asked (interrupted,
   * a request without its record): read its data as incomplete.
   */
  notes?: string[];
  /**
   * Requests the target served during the run that culprit did not send
   * (health checks, a browser): counted apart, never recorded as culprit's.
   */
  otherTraffic?: OtherTraffic[];
  /** Present when the capture comes from `culprit watch`: the traffic by route; `requests` holds examples of each. */
  watch?: WatchSummary;
}

/** Requests of one route and status that someone other than culprit sent during the run. */
export interface OtherTraffic {
  method: string;
  /** Path without its query. */
  path: string;
  status: number;
  count: number;
}

export interface TargetInfo {
  mode: 'command' | 'module' | 'url';
  /** Command mode: argv of the user's command. */
  command?: string[];
  /** Module mode: path of the module as given. */
  module?: string;
  /** Framework detected in module mode (express, fastify, koa, hono, listener, fetch). */
  framework?: string;
  /** Base URL requests were sent to (command and url modes). */
  baseUrl?: string;
  pid?: number;
  nodeVersion?: string;
  platform?: string;
}

/** A position in source, mapped to the original (TypeScript) file when a source map exists. */
export interface SourceLocation {
  /** Absolute path or URL of the original file (e.g. `/app/src/api/viewsets.ts`). */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  functionName?: string;
  /** npm package the file belongs to (`typeorm`), absent for application code and Node internals. */
  package?: string;
  /** A caller awaiting this work (V8 async stack trace) rather than on the synchronous stack. */
  async?: boolean;
}

export interface RequestRecord {
  /** Sequence number within the capture, from 1. */
  id: number;
  method: string;
  /** Path and query as sent, with query values redacted unless kept (`--keep-params`). */
  url: string;
  status: number;
  /** Wall time from request start to response finish, milliseconds. */
  wallMs: number;
  /** CPU time (user + system) of the process during the request, milliseconds. */
  cpuMs: number;
  /** Response body size in bytes. */
  bytes: number;
  /** Items of the collection a JSON body carries (the largest array near its top); 1 for a lone object. Absent if not JSON. */
  items?: number;
  /** Where that collection sits in the body (`articles`, `data.items`), absent for a top-level array or a lone object. */
  itemsPath?: string;
  /** Longest synchronous stretch (event-loop blocking) during the request, milliseconds. */
  blockingMs?: number;
  /**
   * Synchronous stretches of at least 3 ms (the 1 ms watch's noise stays out)
   * on the request's time axis, the longest 100, in time order.
   */
  blocking?: BlockingStretch[];
  /** Outbound HTTP calls the request made (fetch/undici, node:http and libraries on it), in issue order. */
  http?: HttpCallRecord[];
  /** Redis round trips the request made (ioredis, node-redis); a pipeline or MULTI is one. */
  redis?: RedisCallRecord[];
  /** Outbound HTTP calls and Redis round trips past the per-request limit, counted and not kept. */
  droppedOperations?: number;
  /**
   * Client sockets the request wrote to, one row per remote, whatever library
   * wrote (recorded while queries are): shows I/O that no driver hook saw.
   */
  network?: NetworkUse[];
  /**
   * Packages loaded in the process that look like database clients; present
   * when the request wrote to a socket other than an HTTP call's but recorded
   * no query (the driver culprit does not hook is likely among them).
   */
  databaseClients?: string[];
  /** Queries one by one, in issue order, up to the probe's per-request detail limit. */
  queries: QueryRecord[];
  /**
   * Queries past the per-request detail limit, folded by statement shape and
   * issuing line so a request of 1,000,000 queries fits in bounded memory.
   * Absent when every query is in `queries`.
   */
  foldedQueries?: FoldedQueries[];
  /** Exact constructions per class during the request window (V8 precise coverage delta). */
  constructions: Construction[];
  /** Set when the request failed before a response (connection error, handler throw). */
  error?: string;
  /** First bytes of the response body when the status is >= 400 (why it failed). */
  bodyHead?: string;
  /** The route template `culprit watch` grouped the request under (the router's, or the path with ids folded). */
  route?: string;
}

export interface QueryRecord {
  /** Driver that ran it: pg, postgres, mysql2, mysql, mariadb, better-sqlite3, sqlite3, node:sqlite. */
  driver: string;
  /** SQL with literals replaced by `?` (normalized), so equal shapes group. */
  sql: string;
  /** Milliseconds from the request's start to the issue of the query (the time axis of the waterfall). */
  startMs?: number;
  durationMs: number;
  /** Rows returned (SELECT) or affected (other statements); null when the driver did not say. */
  rows: number | null;
  /** What the returned rows weigh, estimated from the first row (absent when no row came back). */
  read?: RowsRead;
  /** First application frame that issued the query (outside node_modules and culprit). */
  location?: SourceLocation;
  /**
   * Where the app made the query builder that ran it (Knex), when that is
   * another line than `location`, which names the line that awaited it: the
   * repository's `.select('*')` below the service's `await`.
   */
  builtAt?: SourceLocation;
  /** Full stack, innermost first, when asked for (`--stacks`). */
  stack?: SourceLocation[];
  /** Bound parameters; each value is the string `'?'` unless `--keep-params`. */
  params?: unknown[];
  /** The database's plan for it (EXPLAIN, one line per plan row), asked after the request for the queries behind a finding. */
  plan?: string[];
  /**
   * Columns it matches with LIKE/ILIKE against a pattern that starts with a
   * wildcard (`'%tea%'`), read from the values before they were redacted: no
   * B-tree index on them serves the match.
   */
  leadingWildcard?: string[];
  /** Rows its OFFSET skips (`LIMIT 50 OFFSET 74950`), read from the values before they were redacted. */
  offsetRows?: number;
  /**
   * Equal for two queries of one capture whose statement and literal values
   * were equal (a salted hash, never the values): tells duplicates from N+1.
   */
  valuesKey?: string;
  error?: string;
}

/**
 * The size of a query's rows as the driver handed them over: the first row's
 * values (strings by length, binary by bytes, anything else a few bytes)
 * times the row count. Column names and sizes only, never values.
 */
export interface RowsRead {
  /** Estimated bytes of all returned rows. */
  bytes: number;
  /** Columns of the sampled row that are wide (>= 1 KB each), widest first, with their size in that row. */
  wide?: WideColumn[];
  /** The sampled row's other columns, when some are wide: what a narrower select would keep. */
  narrow?: string[];
}

export interface WideColumn {
  name: string;
  /** Bytes of its value in the sampled row. */
  bytes: number;
}

/** Queries of one shape from one line, beyond the detail limit: counted and summed, not kept one by one. */
export interface FoldedQueries {
  driver: string;
  sql: string;
  location?: SourceLocation;
  /** Stack of the first query folded here, innermost first. */
  stack?: SourceLocation[];
  count: number;
  /** Sum of rows over the folded queries (null rows count as 0). */
  rows: number;
  /** Bytes read summed over the folded queries; columns from the first query that had wide ones. */
  read?: RowsRead;
  durationMs: number;
  errors: number;
}

export interface Construction {
  /** Class name as written in source. */
  className: string;
  count: number;
  location?: SourceLocation;
}

export type FindingSeverity = 'critical' | 'warning' | 'info';

export interface Finding {
  /** Rule that produced it, e.g. `table-scan-in-request`. */
  rule: string;
  severity: FindingSeverity;
  /** One sentence a user can act on, naming the file and line. */
  title: string;
  /** Estimated share of request time explained, 0..1, for ranking. */
  impact: number;
  location?: SourceLocation;
  /** Source lines around the location, for display. */
  snippet?: { startLine: number; lines: string[] };
  evidence: Array<{ label: string; value: string }>;
  /** What to do about it. */
  suggestion?: string;
  /** The endpoint (`GET /api/articles`) whose typical run the finding is about. */
  endpoint?: string;
  /** Estimated time a fix would save per request, milliseconds: the ranking key. */
  savesMs?: number;
  /** Why no application line is named, when `location` is absent or not the app's. */
  noAppLine?: string;
  /** Further lines of the location's file the finding is about (the other awaits of a sequence): the waterfall marks their rows too. */
  relatedLines?: number[];
  /** Symptoms this cause explains (a blocked event loop, a slow request), folded into it. */
  explains?: string[];
  /**
   * A call to look for inside the located function (`pbkdf2Sync`), so the
   * location can move to the line that makes it when the source is read.
   */
  callee?: string;
  /** The npm package the callee belongs to (a CPU finding's time in a client library: `ioredis`, `got`). */
  calleePackage?: string;
}

/** Consecutive lines of one source file, from `startLine` (1-based). */
export interface SourceExcerpt {
  file: string;
  startLine: number;
  lines: string[];
}

/** One diagnosed endpoint's typical run, and the share of its time the findings would save. */
export interface DiagnosisTotals {
  endpoint: string;
  status: number;
  runs: number;
  wallMs: number;
  cpuMs: number;
  queries: number;
  rows: number;
  items: number;
  itemsPath?: string;
  bytes: number;
  /** Sum of the findings' savings over the request time, capped at 1. */
  explainedShare: number;
}

export interface BenchSummary {
  url: string;
  requests: number;
  errors: number;
  durationS: number;
  rps: number;
  latencyMs: {
    min: number;
    mean: number;
    max: number;
    p50: number;
    p75: number;
    p90: number;
    p95: number;
    p99: number;
    p999: number;
  };
  statusCodes: Record<string, number>;
  errorKinds: Record<string, number>;
  bytes: number;
  /** HDR histogram of latencies in microseconds, base64 compressed (hdr-histogram-js encoding). */
  histogram: string;
}

export interface LogpointHit {
  /** The `--log` spec as given. */
  spec: string;
  /** Request id the hit happened in, when inside a request. */
  requestId?: number;
  /** The printed values, each rendered as a short string. */
  values: string[];
  location?: SourceLocation;
}

export interface StackCapture {
  /** The `--when` spec as given. */
  spec: string;
  requestId?: number;
  frames: StackFrame[];
  /** Breakpoint hits before the condition held, and what they cost. */
  hitsBeforeMatch?: number;
  overheadMs?: number;
}

export interface StackFrame extends SourceLocation {
  /** Source lines around `line`, for display. */
  snippet?: { startLine: number; lines: string[] };
  /** Local variables of the frame, rendered as short strings. */
  locals: Record<string, string>;
  /** True for a caller awaiting this work (V8 async stack trace): such frames carry no locals. */
  async?: boolean;
}
