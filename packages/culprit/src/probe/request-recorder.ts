/**
 * Scopes and measures each request served by the process, from Node's own
 * `http.server.request.start` / `http.server.response.finish` channels (so it
 * sees every framework, and in-memory injections too). The start subscriber
 * enters a fresh AsyncLocalStorage scope every time: on keep-alive sockets the
 * previous request's store is still visible there.
 */
import dc from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Construction } from '../capture/types.js';
import { send } from './connection.js';
import { constructionsIn, startCounting, stopCounting, takeCoverage } from './constructions.js';
import { noteFault } from './faults.js';
import { countJsonItems } from './json-items.js';
import { watchBlocking } from './loop-blocking.js';
import { MARKER_HEADER, type TraceConfig } from './protocol.js';
import { FrameMapper, toFoldedQueries, toProbeQuery } from './query-records.js';
import { enterScope, type RequestScope, setQueriesWanted, setStackLimit } from './request-context.js';
import { meterResponse, type ResponseMeter } from './response-meter.js';

interface InFlight {
  scope: RequestScope;
  /** The MARKER_HEADER value culprit put on the request. */
  marker: string;
  method: string;
  url: string;
  startedAt: number;
  cpu: NodeJS.CpuUsage;
  meter: ResponseMeter;
  stopBlocking: () => number;
}

const config: TraceConfig = { queries: false, constructions: false, stacks: false };
const inFlight = new WeakMap<ServerResponse, InFlight>();
/** Requests culprit did not send: only what is needed to count them. */
const others = new WeakMap<ServerResponse, { method: string; path: string }>();
let nextId = 1;
let installed = false;

/** Applies the CLI's `trace.configure`. */
export function configureTrace(next: Partial<TraceConfig>): TraceConfig {
  Object.assign(config, next);
  setQueriesWanted(config.queries);
  setStackLimit(config.stacks ? 100 : 40);
  // count mode deoptimizes code: leave it on only while constructions are wanted
  if (config.constructions) startCounting();
  else if (next.constructions === false) stopCounting();
  return { ...config };
}

function onStart(message: unknown): void {
  try {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    const marker = request.headers[MARKER_HEADER];
    if (typeof marker !== 'string') {
      // someone else's request (a health check, a browser): a closed scope drops its queries,
      // and the coverage window of culprit's own request is left alone
      enterScope({ requestId: nextId++, queries: [], closed: true });
      others.set(response, { method: request.method ?? 'GET', path: (request.url ?? '/').split('?')[0] ?? '/' });
      return;
    }
    // reset the coverage window first, so its cost falls outside the request's time
    if (config.constructions) takeCoverage();
    const scope: RequestScope = { requestId: nextId++, queries: [], closed: false };
    enterScope(scope);
    inFlight.set(response, {
      scope,
      marker,
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      meter: meterResponse(response),
      stopBlocking: watchBlocking(),
      cpu: process.cpuUsage(),
      startedAt: performance.now(),
    });
  } catch (error) {
    noteFault('request.start', error);
  }
}

function onFinish(message: unknown): void {
  try {
    const { response } = message as { response: ServerResponse };
    const other = others.get(response);
    if (other) {
      others.delete(response);
      send({ type: 'request.other', ...other, status: response.statusCode });
      return;
    }
    const wallMs = performance.now() - (inFlight.get(response)?.startedAt ?? 0);
    const flight = inFlight.get(response);
    if (!flight) return;
    const cpu = process.cpuUsage(flight.cpu);
    const blockingMs = flight.stopBlocking();
    let constructions: Construction[] = [];
    if (config.constructions) constructions = constructionsIn(takeCoverage());
    inFlight.delete(response);
    flight.scope.closed = true;
    const body = flight.meter.body();
    const items = body === undefined ? undefined : countJsonItems(body);
    const frames = new FrameMapper();
    const folds = flight.scope.folds;
    send({
      type: 'request',
      record: {
        method: flight.method,
        url: flight.url,
        status: response.statusCode,
        wallMs,
        cpuMs: (cpu.user + cpu.system) / 1000,
        bytes: flight.meter.bytes,
        ...(items === undefined ? {} : { items: items.items }),
        ...(items?.path === undefined ? {} : { itemsPath: items.path }),
        // what a failing request answered, so profile and trace can show why it failed
        ...(response.statusCode >= 400 ? { bodyHead: flight.meter.head() } : {}),
        blockingMs,
        scopeId: flight.scope.requestId,
        marker: flight.marker,
        queries: flight.scope.queries.map((query) => toProbeQuery(query, config.stacks, frames)),
        ...(folds ? { foldedQueries: toFoldedQueries(folds.values(), config.stacks, frames) } : {}),
        constructions,
      },
    });
  } catch (error) {
    noteFault('response.finish', error);
  }
}

/** Subscribes to the HTTP server channels once (after the CLI connected). */
export function installRequestRecorder(): void {
  if (installed) return;
  installed = true;
  dc.subscribe('http.server.request.start', onStart);
  dc.subscribe('http.server.response.finish', onFinish);
}
