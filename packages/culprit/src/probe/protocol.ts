/**
 * The JSON-lines protocol between the CLI and the probe, over the unix socket
 * named by CULPRIT_PROBE_SOCKET. Type-only, so both sides import it freely.
 *
 * The probe speaks first (`hello`), then reports `listening` ports (command
 * mode) or `host.ready` / `host.failed` (module mode), and pushes one `request`
 * record per finished request. The CLI sends `call`s; the probe answers each
 * with `result` or `error` carrying the same id.
 */
import type { Construction, FoldedQueries, LogpointHit, SourceLocation, StackCapture } from '../capture/types.js';

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
  /** Adapter used (express, fastify, koa, hono, server, listener, fetch). */
  framework: string;
  /** Export it came from (`default`, `app`, …). */
  exportName: string;
}

export interface HostFailedMessage {
  type: 'host.failed';
  message: string;
  /** True when the module loaded but exported nothing usable (a usage error, not a crash). */
  nothingUsable: boolean;
}

/** A query as the probe hands it over: raw SQL and params (the CLI normalizes and redacts). */
export interface ProbeQuery {
  driver: string;
  sql: string;
  durationMs: number;
  rows: number | null;
  params?: unknown[];
  error?: string;
  location?: SourceLocation;
  stack?: SourceLocation[];
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
  /** First bytes of the body when the status is >= 400. */
  bodyHead?: string;
  /** The probe's own number for the request (RequestScope.requestId), which breakpoint events carry. */
  scopeId: number;
  /** The request's MARKER_HEADER value: which of culprit's sends this record belongs to. */
  marker: string;
  /** The first queries one by one (up to the probe's QUERY_DETAIL_LIMIT). */
  queries: ProbeQuery[];
  /** The queries past that limit, folded by shape and line (SQL already normalized). */
  foldedQueries?: FoldedQueries[];
  constructions: Construction[];
}

export interface RequestMessage {
  type: 'request';
  record: ProbeRequest;
}

/** A request culprit did not send (no MARKER_HEADER): counted apart, never recorded in full. */
export interface OtherRequestMessage {
  type: 'request.other';
  method: string;
  /** The path without its query (query values may be secrets). */
  path: string;
  status: number;
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
}

/** `inject` params in module mode: one request handed to the app in-process. */
export interface InjectParams {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface InjectResult {
  status: number;
  bytes: number;
}
