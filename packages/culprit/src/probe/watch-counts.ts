/**
 * `culprit watch`'s cheap path: every request the server answers is counted
 * (route, status, wall and CPU time, queries, rows, HTTP calls) into rows of
 * numbers sent in batches; only the share the sampler picks is recorded in
 * full by the request recorder. A counted request enters a scope that tallies
 * what the hooks see and keeps none of it (no stacks, statements or calls),
 * and its response is not metered. Runs inside the user's process: built-ins
 * only, never throws into the app.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { foldPath } from '../watch/fold-path.js';
import { performance } from './clock.js';
import { send } from './connection.js';
import { noteFault } from './faults.js';
import { WATCH_ROW_FIELDS } from './protocol.js';
import { enterScope, type RequestScope, type RequestTally } from './request-context.js';
import { routeTemplateOf } from './routes/index.js';
import { samplerSettings, WatchSampler } from './watch-sampler.js';

interface Counted {
  key: string;
  folded: string;
  request: IncomingMessage;
  startedAt: number;
  cpu: NodeJS.CpuUsage;
  scope: RequestScope;
  tally: RequestTally;
}

/** How long rows wait before they are sent (one message per batch). */
const BATCH_MS = 250;
/** Rows sent at once when traffic fills a batch sooner. */
const BATCH_ROWS = 4096;

const counted = new WeakMap<ServerResponse, Counted>();
let sampler: WatchSampler | undefined;
let routes = new Map<string, number>();
let routeList: Array<[string, string, string]> = [];
let rows: number[] = [];
let timer: NodeJS.Timeout | undefined;

/** Switches watch mode's sampling on (a fresh sample) or off (the last rows are sent first). */
export function watchCounting(on: boolean): void {
  if (on) sampler ??= new WatchSampler(() => performance.now(), samplerSettings(process.env));
  else {
    flushWatchRows();
    sampler = undefined;
  }
}

/** URLs folded lately: servers see the same URLs again and again, and folding one takes a few µs. */
const folds = new Map<string, string>();
const FOLDS_KEPT = 2048;

/** The path without its query, ids folded: the route a request is sampled by before its router says. */
function pathKey(request: IncomingMessage): string {
  const url = request.url ?? '/';
  let folded = folds.get(url);
  if (folded === undefined) {
    if (folds.size >= FOLDS_KEPT) folds.clear();
    folded = foldPath(url);
    folds.set(url, folded);
  }
  return folded;
}

/**
 * Called at a request's start in watch mode: counts it and returns null, or
 * returns its sampling key when it is to be recorded in full.
 */
export function startWatched(request: IncomingMessage, response: ServerResponse, id: number): string | null {
  if (!sampler) return ''; // not watching: recorded in full, as before watch mode existed
  const folded = pathKey(request);
  const key = `${request.method ?? 'GET'} ${folded}`;
  if (sampler.detail(key, request.url ?? '/')) return key;
  const tally: RequestTally = { queries: 0, rows: 0, httpCalls: 0 };
  const scope: RequestScope = { requestId: id, startedAt: 0, queries: [], closed: false, tally };
  enterScope(scope);
  const startedAt = performance.now();
  counted.set(response, { key, folded, request, scope, tally, startedAt, cpu: process.cpuUsage() });
  return null;
}

/** A detailed request finished: the sampler learns its route's slowest. */
export function finishedDetailed(key: string, url: string, wallMs: number): void {
  sampler?.finished(key, url, wallMs, true);
}

function routeIndex(method: string, route: string, from: string): number {
  const name = `${method} ${from} ${route}`;
  let index = routes.get(name);
  if (index === undefined) {
    index = routeList.push([method, route, from]) - 1;
    routes.set(name, index);
  }
  return index;
}

const round3 = (ms: number): number => Math.round(ms * 1000) / 1000;

/** Called at every response's finish: true when the request was a counted one (its row is queued). */
export function finishCounted(response: ServerResponse): boolean {
  const flight = counted.get(response);
  if (!flight) return false;
  try {
    const end = performance.now();
    // process.cpuUsage() is a system call (8–11 µs each on this loaded 2-core VM); the event loop's busy
    // time would cost none, but counts the time a loaded machine leaves the process waiting for a core
    // as CPU (3× on ephemera at load 18): a route's CPU must stay CPU
    const cpu = process.cpuUsage(flight.cpu);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    counted.delete(response);
    flight.scope.closed = true;
    const { request, tally } = flight;
    const wallMs = end - flight.startedAt;
    const method = request.method ?? 'GET';
    const template = routeTemplateOf(request);
    const index = template
      ? routeIndex(method, template.route, template.from)
      : routeIndex(method, flight.folded, 'folded');
    rows.push(
      index,
      response.statusCode,
      round3(wallMs),
      round3(Math.max(0, cpuMs)),
      tally.queries,
      tally.rows,
      tally.httpCalls,
      Math.round(performance.timeOrigin + end),
    );
    sampler?.finished(flight.key, request.url ?? '/', wallMs, false);
    if (rows.length >= BATCH_ROWS * WATCH_ROW_FIELDS) flushWatchRows();
    else timer ??= setTimeout(flushWatchRows, BATCH_MS).unref();
  } catch (error) {
    noteFault('watch count', error);
  }
  return true;
}

/** Sends the rows counted so far (also before watch mode ends, so the CLI has them all). */
export function flushWatchRows(): void {
  if (timer) clearTimeout(timer);
  timer = undefined;
  if (rows.length === 0) return;
  send({ type: 'watch.rows', routes: routeList, rows });
  rows = [];
  routes = new Map();
  routeList = [];
}
