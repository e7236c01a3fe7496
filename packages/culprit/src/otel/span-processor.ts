/**
 * For apps that already run the OpenTelemetry SDK: a span processor that adds
 * what culprit knows to the app's own spans instead of emitting spans of its
 * own (no duplicates):
 *
 *   new NodeSDK({ spanProcessors: [new CulpritSpanProcessor(), new BatchSpanProcessor(exporter)] })
 *
 * - database and HTTP client spans (their instrumentation's) get the app line
 *   that issued them (`code.file.path`, `code.line.number`, source-mapped),
 *   taken from the stack when the span starts, and database spans the rows
 *   returned (`db.response.returned_rows`) from culprit's driver hook;
 * - server spans get culprit's findings over their request as
 *   `culprit.finding` events, and its query, row and CPU totals.
 *
 * Attributes are set in `onEnding` (SDK 2.x), while the span is still
 * writable. With SDKs that lack it, `onEnd` writes them into the ended span
 * instead: list this processor first, before the exporting one. It never
 * throws into the app (failures are counted in the probe's faults).
 */
import dc from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import { CAPTURE_SCHEMA, type Capture } from '../capture/types.js';
import { diagnose } from '../diagnose/diagnose.js';
import { noteFault } from '../probe/faults.js';
import { installQueryHooks } from '../probe/query-hooks.js';
import { FrameMapper } from '../probe/query-records.js';
import { wrapLoadedHttp } from '../probe/remote/http-client.js';
import { installRedisHooks } from '../probe/remote/index.js';
import {
  captureStack,
  currentScope,
  enterScope,
  isApplicationFrame,
  keepScopesEnabled,
  type RawQueryEvent,
  type RequestScope,
  scopeStore,
} from '../probe/request-context.js';
import { enableRecording } from '../register/recording.js';
import { scopeRecord } from '../register/scope-record.js';
import { observedFrom } from '../target/observed.js';
import { sanitizeRecord } from '../trace/redact.js';
import { findingEvent } from './request-spans.js';
import type { AttributeValue } from './span-model.js';

/** What this processor uses of an SDK span (structural: no dependency on a given SDK version). */
export interface ProcessedSpan {
  readonly kind: number;
  readonly attributes: Record<string, unknown>;
  readonly events?: unknown[];
  setAttribute?(key: string, value: AttributeValue): unknown;
  addEvent?(name: string, attributes?: Record<string, AttributeValue>, time?: number): unknown;
}

/** The JavaScript API's SpanKind values. */
const SERVER = 1;
const CLIENT = 2;

interface ServerWork {
  scope: RequestScope;
  startedAt: number;
  cpu: NodeJS.CpuUsage;
}

interface ClientWork {
  scope: RequestScope | undefined;
  /** Queries the scope held when the span started: its own is recorded after them. */
  queriesBefore: number;
}

function text(span: ProcessedSpan, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = span.attributes[key];
    if (typeof value === 'string' || typeof value === 'number') return String(value);
  }
  return undefined;
}

function isDatabase(span: ProcessedSpan): boolean {
  return text(span, 'db.system.name', 'db.system') !== undefined;
}

function isHttpClient(span: ProcessedSpan): boolean {
  return text(span, 'http.request.method', 'http.method') !== undefined;
}

/** Sets an attribute through the API while writable, else into the ended span's record (older SDKs). */
function put(span: ProcessedSpan, key: string, value: AttributeValue, writable: boolean): void {
  if (writable && span.setAttribute) span.setAttribute(key, value);
  else (span.attributes as Record<string, AttributeValue>)[key] = value;
}

export class CulpritSpanProcessor {
  private readonly servers = new WeakMap<object, ServerWork>();
  private readonly clients = new WeakMap<object, ClientWork>();
  private readonly done = new WeakSet<object>();
  private readonly onRequest = (): void => {
    // every request gets a scope, closed until the SDK starts a recording server span for it
    enterScope({ requestId: 0, startedAt: performance.now(), queries: [], closed: true });
  };

  constructor() {
    enableRecording(() => {
      installQueryHooks();
      installRedisHooks();
    });
    keepScopesEnabled(); // the SDK opens scopes (startServer) that culprit/register's count does not see
    dc.subscribe('http.server.request.start', this.onRequest);
  }

  onStart(span: ProcessedSpan, _parentContext?: unknown): void {
    try {
      if (span.kind === SERVER) this.startServer(span);
      else if (span.kind === CLIENT && (isDatabase(span) || isHttpClient(span))) this.startClient(span);
    } catch (error) {
      noteFault('span processor onStart', error);
    }
  }

  onEnding(span: ProcessedSpan): void {
    this.finish(span, true);
  }

  onEnd(span: ProcessedSpan): void {
    this.finish(span, false);
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {
    dc.unsubscribe('http.server.request.start', this.onRequest);
  }

  private startServer(span: ProcessedSpan): void {
    // the channel entered a closed scope for this request; the scope holder is the AsyncLocalStorage store
    const scope = scopeStore();
    if (!scope || this.servers.has(span)) return;
    // an ES module's `http`/`https`, imported after the processor started, gets its wrapper before the handler runs
    wrapLoadedHttp();
    scope.closed = false;
    this.servers.set(span, { scope, startedAt: performance.now(), cpu: process.cpuUsage() });
  }

  private startClient(span: ProcessedSpan): void {
    const frame = captureStack().find((f) => isApplicationFrame(f.url, f.line));
    const location = frame ? new FrameMapper().map(frame) : null;
    if (location) {
      put(
        span,
        'code.file.path',
        location.file.startsWith('file://') ? new URL(location.file).pathname : location.file,
        true,
      );
      put(span, 'code.line.number', location.line, true);
      put(span, 'code.column.number', location.column, true);
      if (location.functionName) put(span, 'code.function.name', location.functionName, true);
    }
    const scope = currentScope();
    if (isDatabase(span)) this.clients.set(span, { scope, queriesBefore: scope?.queries.length ?? 0 });
  }

  private finish(span: ProcessedSpan, writable: boolean): void {
    if (this.done.has(span)) return;
    try {
      const server = this.servers.get(span);
      if (server) {
        this.done.add(span);
        this.finishServer(span, server, writable);
        return;
      }
      const client = this.clients.get(span);
      if (client) {
        this.done.add(span);
        this.finishQuery(span, client, writable);
      }
    } catch (error) {
      noteFault('span processor onEnding', error);
    }
  }

  /** The query culprit's hook recorded for this span: issued after it started, same text when the span has it. */
  private finishQuery(span: ProcessedSpan, work: ClientWork, writable: boolean): void {
    const recorded = work.scope?.queries.slice(work.queriesBefore) ?? [];
    const statement = text(span, 'db.query.text', 'db.statement');
    const match: RawQueryEvent | undefined =
      recorded.find((query) => statement !== undefined && query.sql.trim() === statement.trim()) ??
      (recorded.length === 1 ? recorded[0] : undefined);
    if (match && match.rows !== null) put(span, 'db.response.returned_rows', match.rows, writable);
  }

  private finishServer(span: ProcessedSpan, work: ServerWork, writable: boolean): void {
    work.scope.closed = true;
    const cpu = process.cpuUsage(work.cpu);
    const path = text(span, 'url.path', 'http.target') ?? '/';
    const record = scopeRecord(work.scope, {
      method: text(span, 'http.request.method', 'http.method') ?? 'GET',
      url: path,
      status: Number(text(span, 'http.response.status_code', 'http.status_code') ?? 0),
      wallMs: performance.now() - work.startedAt,
      cpuMs: (cpu.user + cpu.system) / 1000,
      bytes: 0,
    });
    const request = sanitizeRecord(observedFrom(1, record), false);
    const capture: Capture = {
      schema: CAPTURE_SCHEMA,
      createdAt: new Date().toISOString(),
      tool: { name: 'culprit', version: '', command: 'span-processor' },
      target: { mode: 'command' },
      requests: [request],
    };
    const queries = request.queries.length + (request.foldedQueries ?? []).reduce((n, f) => n + f.count, 0);
    const rows =
      request.queries.reduce((n, q) => n + (q.rows ?? 0), 0) +
      (request.foldedQueries ?? []).reduce((n, f) => n + f.rows, 0);
    put(span, 'culprit.request.queries', queries, writable);
    put(span, 'culprit.request.rows', rows, writable);
    put(span, 'culprit.request.cpu_ms', Math.round(record.cpuMs * 100) / 100, writable);
    const now = performance.timeOrigin + performance.now();
    for (const finding of diagnose(capture)) {
      const event = findingEvent(finding, now);
      if (writable && span.addEvent) span.addEvent(event.name, event.attributes);
      else span.events?.push({ name: event.name, attributes: event.attributes, time: [Math.floor(now / 1000), 0] });
    }
  }
}
