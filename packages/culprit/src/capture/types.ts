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
}

export interface QueryRecord {
  /** Driver that ran it: pg, mysql2, better-sqlite3, node:sqlite. */
  driver: string;
  /** SQL with literals replaced by `?` (normalized), so equal shapes group. */
  sql: string;
  durationMs: number;
  /** Rows returned (SELECT) or affected (other statements); null when the driver did not say. */
  rows: number | null;
  /** First application frame that issued the query (outside node_modules and culprit). */
  location?: SourceLocation;
  /** Full stack, innermost first, when asked for (`--stacks`). */
  stack?: SourceLocation[];
  /** Bound parameters; each value is the string `'?'` unless `--keep-params`. */
  params?: unknown[];
  /** The database's plan for it (EXPLAIN, one line per plan row), asked after the request for the queries behind a finding. */
  plan?: string[];
  /**
   * Equal for two queries of one capture whose statement and literal values
   * were equal (a salted hash, never the values): tells duplicates from N+1.
   */
  valuesKey?: string;
  error?: string;
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
  durationMs: number;
  errors: number;
}

export interface Construction {
  /** Class name as written in source. */
  className: string;
  count: number;
  location?: SourceLocation;
}

/**
 * A profile: sampled time (CPU profile) joined with exact call counts
 * (precise coverage). Functions and nodes are flat arrays referencing each
 * other by index, which keeps large profiles compact and easy to diff.
 */
export interface ProfileData {
  /** Sampling interval used for the timing pass, microseconds. */
  sampleIntervalUs: number;
  /** Requests that ran during the timing pass (time figures cover all of them). */
  requestCount: number;
  /** Wall time covered by the samples, milliseconds. */
  durationMs: number;
  /** Requests that ran during the count pass (calls cover all of them); 0 when no count pass ran. */
  countedRequests: number;
  functions: ProfileFunction[];
  /** Call tree built from sampled stacks; `nodes[0]` is the root, parents come before children. */
  nodes: CallTreeNode[];
  /** Per-loop timings of the timing pass (timeit), milliseconds. */
  loopsMs?: number[];
  /**
   * Sample order of the timing pass, for exporters that show time order
   * (.cpuprofile, speedscope): `nodes[i]` is the leaf node of sample i and
   * `deltasUs[i]` how long it stood for, microseconds. Absent when not kept.
   */
  timeline?: { nodes: number[]; deltasUs: number[] };
}

export type FunctionCategory = 'app' | 'dependency' | 'node' | 'native' | 'gc' | 'idle' | 'program' | 'root';

export interface ProfileFunction {
  /** Function name; anonymous functions are named from their location (`(anonymous viewsets.ts:42)`). */
  name: string;
  /** Original file (source-mapped) or '' for V8 pseudo-frames. */
  file: string;
  /** 1-based line, 0 when unknown. */
  line: number;
  /** 1-based column, 0 when unknown. */
  column: number;
  category: FunctionCategory;
  /** npm package for `dependency` functions. */
  package?: string;
  /** Exact calls over the count pass; null when the count pass did not see this function. */
  calls: number | null;
  /** Self time over the timing pass, milliseconds (sum over its nodes). */
  selfMs: number;
  /** Inclusive time, milliseconds, counting recursion once per sample. */
  totalMs: number;
  /** The line with the most self samples (V8 position ticks), source-mapped; absent when unknown. */
  hotLine?: number;
}

export interface CallTreeNode {
  /** Index into `functions`. */
  fn: number;
  /** Index of the parent node; -1 for the root. */
  parent: number;
  /** Samples whose innermost frame is this node. */
  selfSamples: number;
  /** Self time in milliseconds (from sample time deltas). */
  selfMs: number;
  /** Inclusive time in milliseconds (self plus descendants). */
  totalMs: number;
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
  /** Symptoms this cause explains (a blocked event loop, a slow request), folded into it. */
  explains?: string[];
  /**
   * A call to look for inside the located function (`pbkdf2Sync`), so the
   * location can move to the line that makes it when the source is read.
   */
  callee?: string;
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
