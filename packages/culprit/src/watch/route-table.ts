/**
 * Every request `culprit watch` saw, folded per route template as it
 * arrives: counters, an HDR histogram of wall times, latency over time, and
 * the few slowest requests of each route kept whole (for the diagnose rules
 * and the viewer's click-through). Memory is bounded by routes, never by
 * requests: past MAX_ROUTES templates the rest share one row. Pure.
 */
import type { Int32Histogram } from 'hdr-histogram-js';
import { newLatencyHistogram } from '../bench/stats.js';
import { queryTotals } from '../capture/query-totals.js';
import type { RequestRecord } from '../capture/types.js';
import { foldPath } from './fold-path.js';
import { bucketWidthFor, LatencySeries } from './latency-series.js';

/** Distinct route templates tracked before the rest are counted under OVERFLOW_ROUTE. */
export const MAX_ROUTES = 200;
export const OVERFLOW_ROUTE = '(other routes)';
/** Slowest requests kept whole per route: enough for the rules to see a repeated pattern. */
export const EXAMPLES_PER_ROUTE = 5;

export interface RouteState {
  method: string;
  route: string;
  from: string;
  count: number;
  errors: number;
  totalMs: number;
  cpuMs: number;
  queries: number;
  rows: number;
  httpCalls: number;
  /** Requests recorded in full (the probe's sample): what `examples` and the finding come from. */
  detailed: number;
  histogram: Int32Histogram;
  series: LatencySeries;
  /** Slowest first, at most EXAMPLES_PER_ROUTE. */
  examples: RequestRecord[];
}

/** One row of the live table (no diagnosis: that runs once, at the end). */
export interface LiveRow {
  method: string;
  route: string;
  count: number;
  errors: number;
  totalMs: number;
  p50: number;
  p95: number;
  p99: number;
  cpuMs: number;
  queries: number;
  rows: number;
  httpCalls: number;
}

/** A request recorded in full as it arrives: the probe's record (values already redacted) and its route. */
export interface WatchedRequest {
  record: Omit<RequestRecord, 'id'>;
  /** The router that named `record.route`; absent when none did (the path is folded then). */
  routeFrom?: string;
  /** Seconds since the watch started, when the response finished. */
  atS: number;
}

/** A request the probe counted without its detail (not in its sample): its route and figures. */
export interface CountedRequest {
  method: string;
  route: string;
  /** The router that named the route, or `folded`. */
  from: string;
  status: number;
  wallMs: number;
  cpuMs: number;
  queries: number;
  rows: number;
  httpCalls: number;
  /** Seconds since the watch started, when the response finished. */
  atS: number;
}

/** What every request adds to its route, recorded in full or only counted. */
interface Figures {
  wallMs: number;
  cpuMs: number;
  queries: number;
  rows: number;
  httpCalls: number;
  failed: boolean;
  atS: number;
}

export function failed(record: Pick<RequestRecord, 'status' | 'error'>): boolean {
  return record.error !== undefined || record.status >= 500;
}

export class RouteTable {
  private readonly states = new Map<string, RouteState>();
  private nextId = 1;
  private total = 0;
  private widthS = 1;

  /** Requests seen, recorded in full or counted. */
  get requests(): number {
    return this.total;
  }

  get bucketS(): number {
    return this.widthS;
  }

  /** Counts one request recorded in full under its route, keeping it if among the slowest; returns it numbered. */
  add(input: WatchedRequest): RequestRecord {
    const record: RequestRecord = { id: this.nextId++, ...input.record };
    const from = input.record.route !== undefined && input.routeFrom ? input.routeFrom : 'folded';
    const route = from === 'folded' ? foldPath(record.url) : (input.record.route ?? '/');
    record.route = route;
    const state = this.stateFor(record.method, route, from);
    const queries = queryTotals({ queries: record.queries, foldedQueries: record.foldedQueries ?? [] });
    this.tally(state, {
      wallMs: record.wallMs,
      cpuMs: record.cpuMs,
      queries: queries.count,
      rows: queries.rows,
      httpCalls: record.http?.length ?? 0,
      failed: failed(record),
      atS: input.atS,
    });
    state.detailed++;
    keepIfSlow(state.examples, record);
    return record;
  }

  /** Counts one request the probe did not record in full: figures only, no example. */
  count(request: CountedRequest): void {
    const state = this.stateFor(request.method, request.route, request.from);
    this.tally(state, { ...request, failed: request.status >= 500 });
  }

  private tally(state: RouteState, figures: Figures): void {
    this.total++;
    const width = bucketWidthFor(figures.atS);
    if (width > this.widthS) {
      this.widthS = width;
      for (const s of this.states.values()) s.series.widen(width);
    }
    state.count++;
    if (figures.failed) state.errors++;
    state.totalMs += figures.wallMs;
    state.cpuMs += figures.cpuMs;
    state.queries += figures.queries;
    state.rows += figures.rows;
    state.httpCalls += figures.httpCalls;
    state.histogram.recordValue(Math.max(1, Math.round(figures.wallMs * 1000)));
    state.series.add(figures.atS, figures.wallMs, figures.failed);
  }

  /** Routes by total time, largest first. */
  ranked(): RouteState[] {
    return [...this.states.values()].sort((a, b) => b.totalMs - a.totalMs);
  }

  /** The live table's rows, ranked. */
  rows(): LiveRow[] {
    return this.ranked().map((s) => ({
      method: s.method,
      route: s.route,
      count: s.count,
      errors: s.errors,
      totalMs: s.totalMs,
      p50: s.histogram.getValueAtPercentile(50) / 1000,
      p95: s.histogram.getValueAtPercentile(95) / 1000,
      p99: s.histogram.getValueAtPercentile(99) / 1000,
      cpuMs: s.cpuMs,
      queries: s.queries,
      rows: s.rows,
      httpCalls: s.httpCalls,
    }));
  }

  private stateFor(method: string, route: string, from: string): RouteState {
    let key = `${method} ${route}`;
    if (!this.states.has(key) && this.states.size >= MAX_ROUTES) {
      key = `* ${OVERFLOW_ROUTE}`;
      method = '*';
      route = OVERFLOW_ROUTE;
      from = 'overflow';
    }
    let state = this.states.get(key);
    if (!state) {
      state = {
        method,
        route,
        from,
        count: 0,
        errors: 0,
        totalMs: 0,
        cpuMs: 0,
        queries: 0,
        rows: 0,
        httpCalls: 0,
        detailed: 0,
        histogram: newLatencyHistogram(),
        series: new LatencySeries(this.widthS),
        examples: [],
      };
      this.states.set(key, state);
    }
    return state;
  }
}

/** Keeps `record` among the slowest examples (sorted slowest first, bounded). */
function keepIfSlow(examples: RequestRecord[], record: RequestRecord): void {
  if (examples.length >= EXAMPLES_PER_ROUTE && record.wallMs <= (examples.at(-1)?.wallMs ?? 0)) return;
  let at = examples.findIndex((e) => e.wallMs < record.wallMs);
  if (at < 0) at = examples.length;
  examples.splice(at, 0, record);
  if (examples.length > EXAMPLES_PER_ROUTE) examples.pop();
}
