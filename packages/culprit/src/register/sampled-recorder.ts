/**
 * Production recording: from Node's HTTP server channels (every framework),
 * a share of requests is recorded — queries with their rows, time and app
 * line, outbound HTTP calls and Redis commands, CPU, the router's route
 * template — and handed over when the response finishes. A request not
 * sampled costs a countdown and a raw-header scan (the caller's traceparent):
 * no random number, clock, scope, listener or record. On Node 20 the storages
 * are even disabled between recorded requests (setScopesOnDemand), so the
 * app's promises run without hooks then. Nothing here throws into the app.
 */
import dc from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SampledRequest } from '../otel/messages.js';
import { parseTraceParent } from '../otel/span-model.js';
import { performance } from '../probe/clock.js';
import { noteFault } from '../probe/faults.js';
import { rawHeader } from '../probe/raw-header.js';
import { wrapLoadedHttp } from '../probe/remote/http-client.js';
import {
  closeScope,
  hideOpenScope,
  openScope,
  type RequestScope,
  setScopesOnDemand,
} from '../probe/request-context.js';
import { routeTemplateOf, watchRouters } from '../probe/routes/index.js';
import { PerSecondLimit, realLimitClock } from './per-second-limit.js';
import type { RequestFacts } from './scope-record.js';
import { cpuNowMs } from './thread-cpu.js';

export interface RecorderOptions {
  /** A finished request's scope as the worker's record (scope-record.ts `scopeRecord`, loaded by the caller). */
  toRecord: (scope: RequestScope, facts: RequestFacts) => SampledRequest['record'];
  /** Share of requests recorded, 0..1. */
  sampleRate: number;
  /** Requests the share records per second at most (a caller's sampled trace is always followed); 0: no limit. */
  maxPerSecond?: number;
  now?: () => number;
  /** Runs `reopen` after `ms` (tests; production: an unref'd timer): the limit's next second. */
  after?: (ms: number, reopen: () => void) => void;
  /** Runs before each request is recorded (culprit/register loads the driver hooks at the first). */
  beforeRecord?: () => void;
  /** Receives each finished sampled request. */
  deliver: (request: SampledRequest) => void;
  random?: () => number;
}

interface InFlight {
  scope: RequestScope;
  request: IncomingMessage;
  startedAt: number;
  startUnixMs: number;
  cpuMs: number;
}

/** The body's size as the app declared it (no copy of the body in production); 0 when chunked. */
function bodyBytes(response: ServerResponse): number {
  let length = response.getHeader('content-length');
  if (length === undefined) {
    // headers given to writeHead() bypass getHeader(); the serialized head still has them
    const head: unknown = (response as unknown as { _header?: unknown })._header;
    if (typeof head === 'string') length = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head)?.[1];
  }
  const bytes = Number(length);
  return Number.isFinite(bytes) && bytes >= 0 ? bytes : 0;
}

/**
 * The requests the share skips before the next one it records: geometric, as the gaps between
 * independent draws of `rate` are, so one random number per recorded request instead of one per request.
 */
export function shareGap(rate: number, random: () => number): number {
  if (rate >= 1) return 0;
  if (rate <= 0) return Number.POSITIVE_INFINITY;
  // 1 − random() is in (0, 1]: a draw of 0 records the next request, as `random() < rate` would
  return Math.max(0, Math.floor(Math.log(1 - random()) / Math.log(1 - rate)));
}

/** Starts recording; returns the function that stops it. */
export function recordSampledRequests(options: RecorderOptions): () => void {
  const inFlight = new WeakMap<ServerResponse, InFlight>();
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => performance.now());
  const limit = options.maxPerSecond ?? 0;
  const rate = options.sampleRate;
  let skip = shareGap(rate, random);
  /** Whether the share takes this request: a countdown, drawn again at each request it takes. */
  const inShare = (): boolean => {
    if (skip > 0) {
      skip -= 1;
      return false;
    }
    skip = shareGap(rate, random);
    return true;
  };
  const perSecond = new PerSecondLimit(limit, options.after ? { now, after: options.after } : realLimitClock(now));
  let nextId = 1;

  /** A sampled response's end (finished, or its connection closed first): one listener per sampled request. */
  function onClose(this: ServerResponse): void {
    try {
      const flight = inFlight.get(this);
      if (!flight) return;
      inFlight.delete(this);
      this.removeListener('close', onClose);
      closeScope(flight.scope);
      // a response that never finished (the client went away) is not a request to report
      if (this.writableFinished) options.deliver(sampleOf(flight, this, options.toRecord));
    } catch (error) {
      noteFault('register response.close', error);
    }
  }

  const onStart = (message: unknown): void => {
    try {
      const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
      // the share counts every request, whether or not a caller's sampled trace decides it, except while
      // this second's limit is reached: its draw would be turned away anyway
      const share = !perSecond.full && inShare();
      if (!(callerSampled(request) || (share && perSecond.take()))) {
        // nothing entered per request: the async context holds no scope, or a closed one
        hideOpenScope();
        return;
      }
      // an ES module's `http`/`https`, imported after the preload, gets its wrapper before the handler runs
      wrapLoadedHttp();
      options.beforeRecord?.();
      const startedAt = performance.now();
      const scope: RequestScope = { requestId: nextId++, startedAt, queries: [], closed: false };
      openScope(scope);
      inFlight.set(response, {
        scope,
        request,
        startedAt,
        startUnixMs: performance.timeOrigin + startedAt,
        cpuMs: cpuNowMs(),
      });
      response.on('close', onClose);
    } catch (error) {
      noteFault('register request.start', error);
    }
  };

  // routes are noted only while a recorded request is open: the others' are never read
  watchRouters(true, 'recorded');
  setScopesOnDemand(true);
  dc.subscribe('http.server.request.start', onStart);
  return () => {
    dc.unsubscribe('http.server.request.start', onStart);
    setScopesOnDemand(false);
  };
}

/** A caller that sampled its trace gets it whole (read from the raw list: no headers object built). */
function callerSampled(request: IncomingMessage): boolean {
  const header = rawHeader(request, 'traceparent');
  if (header === undefined) return false;
  // version 00 ends with its flags: an unsampled trace (a gateway that sends one with every request) is
  // told by the last hex digit, without the parse and its regular expressions
  if (header.length === TRACEPARENT_LENGTH && !oddHexDigit(header.charCodeAt(TRACEPARENT_LENGTH - 1))) return false;
  return parseTraceParent(header)?.sampled === true;
}

/** `00-<32 hex>-<16 hex>-<2 hex>`. */
const TRACEPARENT_LENGTH = 55;

/** Whether the hex digit with this code (0-9, a-f) has its low bit set (any other character: no valid header). */
function oddHexDigit(code: number): boolean {
  // '0' is 48 (even), 'a' is 97 (odd) for the value 10 (even)
  return code <= 57 ? (code & 1) === 1 : (code & 1) === 0;
}

/** The finished request as the export worker takes it. */
function sampleOf(flight: InFlight, response: ServerResponse, toRecord: RecorderOptions['toRecord']): SampledRequest {
  const cpuMs = cpuNowMs() - flight.cpuMs;
  const { request, scope, startedAt } = flight;
  const record = toRecord(scope, {
    method: request.method ?? 'GET',
    url: request.url ?? '/',
    status: response.statusCode,
    wallMs: performance.now() - startedAt,
    cpuMs: Math.max(0, cpuMs),
    bytes: bodyBytes(response),
  });
  const sample: SampledRequest = {
    record,
    startUnixMs: flight.startUnixMs,
    scheme: (request.socket as { encrypted?: boolean } | null)?.encrypted ? 'https' : 'http',
  };
  // from the raw list: `request.headers` is built on first read, and a server need not have read it
  const traceparent = rawHeader(request, 'traceparent');
  if (traceparent) sample.traceparent = traceparent;
  const host = rawHeader(request, 'host');
  if (host) sample.host = host;
  const userAgent = rawHeader(request, 'user-agent');
  if (userAgent) sample.userAgent = userAgent;
  const route = routeTemplateOf(request);
  if (route) sample.route = route.route;
  return sample;
}
