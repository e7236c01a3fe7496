/**
 * Scopes and measures each request served by the process, from Node's own
 * `http.server.request.start` / `http.server.response.finish` channels (so it
 * sees every framework, and in-memory injections too). The start subscriber
 * enters a fresh AsyncLocalStorage scope every time: on keep-alive sockets the
 * previous request's store is still visible there.
 *
 * What the probe does per request is only what the CLI asked for, since it
 * runs inside the request being measured:
 * - requests culprit did not send are counted by route, sent in batches;
 * - scopes (AsyncLocalStorage, whose promise hooks slow every await of the
 *   process) only while queries or breakpoints are recorded;
 * - while the CPU profile runs (the timing pass): times and status only, no
 *   body metering, item count or blocking watch, so neither their cost nor
 *   their frames land in the profile (the count pass reports bytes and items).
 */
import dc from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Construction } from '../capture/types.js';
import { performance } from './clock.js';
import { send } from './connection.js';
import { constructionsIn, startCounting, stopCounting, takeCoverage } from './constructions.js';
import { noteFault } from './faults.js';
import { loadDriverHooksNow } from './hook-loading.js';
import { countJsonItems } from './json-items.js';
import { type BlockingReport, watchBlocking } from './loop-blocking.js';
import { listenNetwork, networkFieldsOf } from './network/index.js';
import { MARKER_HEADER, type ProbeMessage, type TraceConfig } from './protocol.js';
import { FrameMapper, QueryTableBuilder, toFoldedQueries, toProbeQuery } from './query-records.js';
import { rawHeader } from './raw-header.js';
import { listenHttp } from './remote/http-client.js';
import { remoteCallsOf } from './remote/to-probe.js';
import {
  closeScope,
  enterScope,
  openScope,
  type RequestScope,
  scopesWanted,
  setCompanionsOnDemand,
  setQueriesWanted,
  setStackLimit,
} from './request-context.js';
import { meterResponse, type ResponseMeter } from './response-meter.js';
import { routeTemplateOf, watchRouters } from './routes/index.js';
import { finishCounted, finishedDetailed, startWatched, watchCounting } from './watch-counts.js';

interface InFlight {
  scope: RequestScope;
  /** The MARKER_HEADER value culprit put on the request ('' for a request `culprit watch` saw). */
  marker: string;
  request: IncomingMessage;
  method: string;
  url: string;
  startedAt: number;
  cpu: NodeJS.CpuUsage;
  meter: ResponseMeter;
  /** Served while the CPU profile ran: timed, its body's head kept, nothing else. */
  lean: boolean;
  /** Watch mode: the key the sampler picked this request under (for detail). */
  watchKey?: string;
  stopBlocking?: () => BlockingReport;
}

const config: TraceConfig = { queries: false, constructions: false, stacks: false };
const inFlight = new WeakMap<ServerResponse, InFlight>();
/** Entries in inFlight: while none is, a finished response is someone else's without a lookup. */
let flying = 0;
let nextId = 1;
let installed = false;
let profiling = false;

/** Requests culprit did not send, by method, status and path, until the next batch goes out. */
const others = new Map<string, OtherRow>();
interface OtherRow {
  method: string;
  path: string;
  status: number;
  count: number;
}
/** Routes held apart per batch; more go into one row per status (the CLI caps its table the same way). */
const MAX_OTHER_ROUTES = 200;
/** How long counts of other traffic wait before they are sent (one message per batch, not per request). */
const OTHERS_BATCH_MS = 250;
let othersTimer: NodeJS.Timeout | undefined;
/**
 * The row counted last: traffic culprit did not send is mostly one route again and again (a load test, a
 * health check), and comparing three fields costs less than building and hashing a key per request.
 */
let lastOther: OtherRow | undefined;
/** The URL whose path is lastOther's. */
let lastUrl: string | undefined;

function flushOthers(): void {
  if (othersTimer) clearTimeout(othersTimer);
  othersTimer = undefined;
  // a row counted in this batch is sent and kept at 0 for the next (the same routes come again: no new key
  // or row per batch); one that counted nothing since the last batch goes
  for (const [key, row] of others) {
    if (row.count > 0) {
      send({ type: 'request.other', method: row.method, path: row.path, status: row.status, count: row.count });
      row.count = 0;
    } else {
      others.delete(key);
      if (lastOther === row) lastOther = undefined;
    }
  }
}

function countOther(response: ServerResponse): void {
  const request = response.req as IncomingMessage | undefined;
  const method = request?.method ?? 'GET';
  const url = request?.url ?? '/';
  const status = response.statusCode;
  let row = lastOther;
  // the URL counted last as it came (query and all): its path is not cut out again
  if (row === undefined || url !== lastUrl || row.status !== status || row.method !== method) {
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    if (row === undefined || row.path !== path || row.status !== status || row.method !== method) {
      row = otherRow(method, status, path);
    }
    lastUrl = row === lastOther ? url : undefined;
  }
  row.count += 1;
  othersTimer ??= setTimeout(flushOthers, OTHERS_BATCH_MS).unref();
}

/** The row of a route, made on its first request since it was last idle a whole batch. */
function otherRow(method: string, status: number, path: string): OtherRow {
  const key = `${method} ${status} ${path}`;
  let row = others.get(key);
  if (row) lastOther = row;
  else if (others.size < MAX_OTHER_ROUTES) {
    row = { method, path, status, count: 0 };
    others.set(key, row);
    lastOther = row;
  } else {
    // the overflow row stands for many paths: it is never the last row, each of its paths is looked up
    const overflow = `* ${status} (other routes)`;
    row = others.get(overflow);
    if (!row) {
      row = { method: '*', path: '(other routes)', status, count: 0 };
      others.set(overflow, row);
    }
  }
  return row;
}

/**
 * Records of the timing pass, sent when the CPU profile stops: a record's
 * socket write (≈4% of a 2 ms request's samples) would otherwise fall inside
 * the next request's profile. Bounded: past it, records go out at once.
 */
const held: ProbeMessage[] = [];
const MAX_HELD_RECORDS = 10_000;
let holding = false;

/** Set while the probe's CPU profile runs: requests are timed and nothing else. Off sends what was held. */
export function setProfiling(on: boolean): void {
  profiling = on;
  if (on) return;
  holding = false;
  for (const message of held) send(message);
  held.length = 0;
}

/** The timing pass begins (cpu.window): records wait until profiling stops. */
export function holdRecords(): void {
  if (profiling) holding = true;
}

function sendRecord(message: ProbeMessage, lean: boolean): void {
  if (holding && lean && held.length < MAX_HELD_RECORDS) held.push(message);
  else send(message);
}

/** Applies the CLI's `trace.configure`. */
export function configureTrace(next: Partial<TraceConfig>): TraceConfig {
  Object.assign(config, next);
  setQueriesWanted(config.queries);
  listenHttp(config.queries);
  listenNetwork(config.queries);
  setStackLimit(config.stacks ? 100 : 40);
  watchRouters(config.watch === true);
  watchCounting(config.watch === true);
  setCompanionsOnDemand(config.watch === true);
  // count mode deoptimizes code: leave it on only while constructions are wanted
  if (config.constructions) startCounting();
  else if (next.constructions === false) stopCounting();
  return { ...config };
}

/** A request starts (`http.server.request.start`): exported for the server side, which sees the first ones. */
export function recordRequestStart(message: unknown): void {
  try {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    const header = rawHeader(request, MARKER_HEADER);
    if (typeof header !== 'string' && !config.watch) {
      // someone else's request (a health check, a browser): while queries are recorded a closed
      // scope drops its queries; it is counted at finish; the coverage window is left alone
      if (scopesWanted()) enterScope({ requestId: nextId++, startedAt: 0, queries: [], closed: true });
      return;
    }
    // watch mode: most requests are only counted (watch-counts.ts); the sampled ones go on below
    const watchKey = typeof header === 'string' ? undefined : startWatched(request, response, nextId++);
    if (watchKey === null) return;
    loadDriverHooksNow(); // at the first recorded request, if no driver file loaded them (node:sqlite)
    const lean = profiling;
    // reset the coverage window first, so its cost falls outside the request's time
    if (config.constructions && !lean) takeCoverage();
    // watch mode sees every request: copying and parsing each JSON body for its item count would cost the app too much;
    // while profiling only the head a failing answer would show is kept (no bytes scanned)
    const meter = meterResponse(response, config.queries && typeof header === 'string', lean);
    const cpu = process.cpuUsage();
    const startedAt = performance.now();
    const scope: RequestScope = { requestId: nextId++, startedAt, queries: [], closed: false };
    // watch's sample is counted open (the companions' storages idle while none is: setCompanionsOnDemand)
    if (watchKey !== undefined) {
      openScope(scope);
      // a response that never finishes (the client went away) closes its scope too (closeScope: once)
      response.once('close', () => closeScope(scope));
    } else if (scopesWanted()) enterScope(scope);
    const flight: InFlight = {
      scope,
      marker: typeof header === 'string' ? header : '',
      request,
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      cpu,
      startedAt,
      meter,
      lean,
    };
    if (watchKey !== undefined) flight.watchKey = watchKey;
    if (!lean) flight.stopBlocking = watchBlocking(startedAt);
    inFlight.set(response, flight);
    flying += 1;
  } catch (error) {
    noteFault('request.start', error);
  }
}

function onFinish(message: unknown): void {
  try {
    // the clock and the lookup only while one of culprit's requests is open (a response that never
    // finishes leaves `flying` up: the lookups then go on, as before)
    const now = flying > 0 ? performance.now() : 0;
    const { response } = message as { response: ServerResponse };
    if (config.watch && finishCounted(response)) return;
    const flight = flying > 0 ? inFlight.get(response) : undefined;
    if (!flight) {
      countOther(response);
      return;
    }
    const wallMs = now - flight.startedAt;
    const cpu = process.cpuUsage(flight.cpu);
    const blocking = flight.stopBlocking?.();
    let constructions: Construction[] = [];
    if (config.constructions && !flight.lean) constructions = constructionsIn(takeCoverage());
    inFlight.delete(response);
    flying -= 1;
    if (flight.watchKey !== undefined) closeScope(flight.scope);
    else flight.scope.closed = true;
    flushOthers(); // what else the server answered meanwhile arrives before this record
    // the body is decoded and parsed only now, after the request's time was taken
    const body = flight.lean ? undefined : flight.meter.body();
    const bodyHead = response.statusCode >= 400 ? flight.meter.head() : undefined;
    flight.meter.release(); // the response outlives this record: it must not keep the body alive
    const items = body === undefined ? undefined : countJsonItems(body);
    const route = flight.marker === '' ? routeTemplateOf(flight.request) : undefined;
    if (flight.watchKey !== undefined) finishedDetailed(flight.watchKey, flight.url, wallMs);
    const frames = new FrameMapper();
    const tables = new QueryTableBuilder();
    const folds = flight.scope.folds;
    const recorded: ProbeMessage = {
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
        ...(bodyHead === undefined ? {} : { bodyHead }),
        ...(blocking === undefined ? {} : { blockingMs: blocking.longestMs }),
        ...(blocking?.stretches.length ? { blocking: blocking.stretches } : {}),
        ...(flight.lean ? { timedOnly: true as const } : {}),
        scopeId: flight.scope.requestId,
        marker: flight.marker,
        ...(route ? { route: route.route, routeFrom: route.from } : {}),
        queries: flight.scope.queries.map((query) =>
          toProbeQuery(query, config.stacks, frames, tables, flight.scope.startedAt),
        ),
        tables: tables.tables,
        ...remoteCallsOf(flight.scope, config.stacks, frames),
        ...networkFieldsOf(flight.scope),
        ...(folds ? { foldedQueries: toFoldedQueries(folds.values(), config.stacks, frames) } : {}),
        constructions,
      },
    };
    sendRecord(recorded, flight.lean);
  } catch (error) {
    noteFault('response.finish', error);
  }
}

/** Subscribes to the HTTP server channels once (as the CLI connects, or at a request before that). */
export function installRequestRecorder(): void {
  if (installed) return;
  installed = true;
  dc.subscribe('http.server.request.start', recordRequestStart);
  dc.subscribe('http.server.response.finish', onFinish);
}

/** Stops recording: nobody will read the records (no CLI answered). */
export function removeRequestRecorder(): void {
  if (!installed) return;
  installed = false;
  dc.unsubscribe('http.server.request.start', recordRequestStart);
  dc.unsubscribe('http.server.response.finish', onFinish);
}
