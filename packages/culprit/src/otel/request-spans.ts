/**
 * One recorded request → its spans: a SERVER span for the request and a
 * CLIENT span per query, outbound HTTP call and Redis round trip, with the OpenTelemetry semantic conventions'
 * attribute names, plus what OpenTelemetry's own instrumentations do not
 * record: rows returned, the app file and line that issued each query, and
 * culprit's findings as events on the server span. Pure: ids come from the
 * caller, the record is already sanitized (SQL normalized, values redacted).
 */
import type {
  Finding,
  FoldedQueries,
  HttpCallRecord,
  QueryRecord,
  RedisCallRecord,
  RequestRecord,
  SourceLocation,
} from '../capture/types.js';
import { sqlShape } from '../diagnose/facts/sql-shape.js';
import {
  type Attributes,
  type OtelSpan,
  type SpanEvent,
  SpanKind,
  StatusCode,
  type TraceParent,
} from './span-model.js';

export interface RequestSpanInput {
  /** The request, sanitized. */
  request: RequestRecord;
  /** Unix milliseconds when the request started. */
  startUnixMs: number;
  /** The caller's trace, from an incoming traceparent header. */
  parent?: TraceParent;
  scheme: 'http' | 'https';
  /** From the Host header. */
  host?: string;
  userAgent?: string;
  /** The framework's route template (`/users/:id`), when known. */
  route?: string;
  findings: readonly Finding[];
  /** New ids: 16 hex digits for spans, 32 for traces. */
  newId: (hexDigits: 16 | 32) => string;
}

/** db.system.name values of the semantic conventions, per culprit driver id. */
const dbSystems: Record<string, string> = {
  pg: 'postgresql',
  postgres: 'postgresql',
  mysql2: 'mysql',
  mysql: 'mysql',
  mariadb: 'mariadb',
  'better-sqlite3': 'sqlite',
  sqlite3: 'sqlite',
  'node:sqlite': 'sqlite',
};

/** `SELECT`, `INSERT`, … : the statement's first keyword (a CTE counts as what it does). */
export function operationOf(sql: string): string | undefined {
  const words = sql
    .trim()
    .replace(/^\(+/, '')
    .match(/^[A-Za-z]+/);
  const first = words?.[0]?.toUpperCase();
  if (first !== 'WITH') return first;
  return /\)\s*(select|insert|update|delete)\b/i.exec(sql)?.[1]?.toUpperCase() ?? 'WITH';
}

function codeAttributes(location: SourceLocation | undefined, into: Attributes): void {
  if (!location) return;
  into['code.file.path'] = location.file.startsWith('file://') ? new URL(location.file).pathname : location.file;
  into['code.line.number'] = location.line;
  into['code.column.number'] = location.column;
  if (location.functionName) into['code.function.name'] = location.functionName;
}

function queryAttributes(query: QueryRecord | FoldedQueries): { name: string; attributes: Attributes } {
  const operation = operationOf(query.sql);
  const table = sqlShape(query.sql).table;
  const attributes: Attributes = {
    'db.system.name': dbSystems[query.driver] ?? query.driver,
    'db.query.text': query.sql,
  };
  if (operation) attributes['db.operation.name'] = operation;
  if (table) attributes['db.collection.name'] = table;
  codeAttributes(query.location, attributes);
  // the semantic conventions' name: "{operation} {target}", else the system
  const name = [operation, table].filter(Boolean).join(' ') || String(attributes['db.system.name']);
  return { name, attributes };
}

/** A child CLIENT span of the server span, at `startMs` on the request's axis. */
function clientSpan(
  server: OtelSpan,
  input: RequestSpanInput,
  name: string,
  attributes: Attributes,
  operation: { startMs?: number; durationMs: number; error?: string },
  fallbackStart: number,
  errorType: string,
): OtelSpan {
  const startMs = input.startUnixMs + (operation.startMs ?? fallbackStart);
  const span: OtelSpan = {
    traceId: server.traceId,
    spanId: input.newId(16),
    parentSpanId: server.spanId,
    traceFlags: server.traceFlags,
    name,
    kind: SpanKind.client,
    startMs,
    endMs: startMs + operation.durationMs,
    attributes,
    events: [],
    status: { code: StatusCode.unset },
  };
  if (operation.error !== undefined) {
    span.status = { code: StatusCode.error, message: operation.error };
    attributes['error.type'] ??= errorType;
  }
  return span;
}

function querySpan(query: QueryRecord, server: OtelSpan, input: RequestSpanInput, fallbackStart: number): OtelSpan {
  const { name, attributes } = queryAttributes(query);
  attributes['culprit.query.driver'] = query.driver;
  if (query.rows !== null) attributes['db.response.returned_rows'] = query.rows;
  return clientSpan(server, input, name, attributes, query, fallbackStart, 'db_error');
}

function httpSpan(call: HttpCallRecord, server: OtelSpan, input: RequestSpanInput): OtelSpan {
  const attributes: Attributes = {
    'http.request.method': call.method,
    'url.full': `${call.origin}${call.url}`,
    'url.template': call.path,
    'culprit.http.client': call.client,
  };
  try {
    const origin = new URL(call.origin);
    attributes['server.address'] = origin.hostname;
    attributes['server.port'] = Number(origin.port || (origin.protocol === 'https:' ? 443 : 80));
  } catch {
    // an origin that is not a URL still names the call in url.full
  }
  if (call.status !== undefined) {
    attributes['http.response.status_code'] = call.status;
    if (call.status >= 400) attributes['error.type'] = String(call.status);
  }
  if (call.bytes !== undefined) attributes['http.response.body.size'] = call.bytes;
  codeAttributes(call.location, attributes);
  const span = clientSpan(server, input, `${call.method} ${call.path}`, attributes, call, 0, 'network');
  if (call.status !== undefined && call.status >= 400) span.status = { code: StatusCode.error };
  return span;
}

function redisSpan(call: RedisCallRecord, server: OtelSpan, input: RequestSpanInput): OtelSpan {
  const attributes: Attributes = {
    'db.system.name': 'redis',
    'db.operation.name': call.command,
    'db.query.text': call.key ? `${call.command} ${call.key}` : call.command,
    'culprit.redis.client': call.client,
  };
  if (call.commands > 1) attributes['db.operation.batch.size'] = call.commands;
  if (call.batch) attributes['culprit.redis.batch'] = call.batch;
  if (call.replyBytes !== undefined) attributes['culprit.redis.reply_bytes'] = call.replyBytes;
  codeAttributes(call.location, attributes);
  return clientSpan(server, input, call.command, attributes, call, 0, 'redis_error');
}

/** Queries past the probe's detail limit have no times: one event each on the server span, with their totals. */
function foldEvent(fold: FoldedQueries, timeMs: number): SpanEvent {
  const { attributes } = queryAttributes(fold);
  attributes['culprit.queries.count'] = fold.count;
  attributes['culprit.queries.duration_ms'] = fold.durationMs;
  attributes['db.response.returned_rows'] = fold.rows;
  if (fold.errors > 0) attributes['culprit.queries.errors'] = fold.errors;
  return { name: 'culprit.queries.folded', timeMs, attributes };
}

/** A finding as a span event: what to change, where, and what it would save. */
export function findingEvent(finding: Finding, timeMs: number): SpanEvent {
  const attributes: Attributes = {
    'culprit.finding.rule': finding.rule,
    'culprit.finding.severity': finding.severity,
    'culprit.finding.title': finding.title,
  };
  if (finding.savesMs !== undefined) attributes['culprit.finding.saves_ms'] = Math.round(finding.savesMs * 10) / 10;
  if (finding.suggestion) attributes['culprit.finding.suggestion'] = finding.suggestion;
  if (finding.noAppLine) attributes['culprit.finding.no_app_line'] = finding.noAppLine;
  codeAttributes(finding.location, attributes);
  return { name: 'culprit.finding', timeMs, attributes };
}

function serverAttributes(input: RequestSpanInput): Attributes {
  const { request } = input;
  const at = request.url.indexOf('?');
  const attributes: Attributes = {
    'http.request.method': request.method,
    'url.scheme': input.scheme,
    'url.path': at < 0 ? request.url : request.url.slice(0, at),
    'http.response.status_code': request.status,
    'http.response.body.size': request.bytes,
    'culprit.request.cpu_ms': Math.round(request.cpuMs * 100) / 100,
    'culprit.request.queries': request.queries.length + (request.foldedQueries ?? []).reduce((n, f) => n + f.count, 0),
    'culprit.request.rows':
      request.queries.reduce((n, q) => n + (q.rows ?? 0), 0) +
      (request.foldedQueries ?? []).reduce((n, f) => n + f.rows, 0),
  };
  if (at >= 0) attributes['url.query'] = request.url.slice(at + 1);
  if (input.route) attributes['http.route'] = input.route;
  if (input.host) {
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(input.host);
    if (match?.[1]) attributes['server.address'] = match[1];
    if (match?.[2]) attributes['server.port'] = Number(match[2]);
  }
  if (input.userAgent) attributes['user_agent.original'] = input.userAgent;
  if (request.blockingMs !== undefined)
    attributes['culprit.request.blocking_ms'] = Math.round(request.blockingMs * 100) / 100;
  if (request.items !== undefined) attributes['culprit.response.items'] = request.items;
  return attributes;
}

/** The request's spans, server span first. */
export function requestSpans(input: RequestSpanInput): OtelSpan[] {
  const { request } = input;
  const endMs = input.startUnixMs + request.wallMs;
  const server: OtelSpan = {
    traceId: input.parent?.traceId ?? input.newId(32),
    spanId: input.newId(16),
    traceFlags: 1,
    name: input.route ? `${request.method} ${input.route}` : request.method,
    kind: SpanKind.server,
    startMs: input.startUnixMs,
    endMs,
    attributes: serverAttributes(input),
    events: [],
    status: { code: request.status >= 500 || request.error ? StatusCode.error : StatusCode.unset },
  };
  if (input.parent) {
    server.parentSpanId = input.parent.spanId;
    server.parentIsRemote = true;
  }
  if (request.status >= 500) server.attributes['error.type'] = String(request.status);
  // without start offsets, a query is laid back to back with the one before it
  let cursor = 0;
  const children = request.queries.map((query) => {
    const span = querySpan(query, server, input, cursor);
    cursor = (query.startMs ?? cursor) + query.durationMs;
    return span;
  });
  for (const call of request.http ?? []) children.push(httpSpan(call, server, input));
  for (const call of request.redis ?? []) children.push(redisSpan(call, server, input));
  if (request.droppedOperations) server.attributes['culprit.request.dropped_operations'] = request.droppedOperations;
  for (const fold of request.foldedQueries ?? []) server.events.push(foldEvent(fold, endMs));
  for (const finding of input.findings) server.events.push(findingEvent(finding, endMs));
  return [server, ...children];
}
