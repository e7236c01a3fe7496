/**
 * When each request ran and which route it was, for every request the app
 * serves (not only the sampled ones), so the export worker can label CPU
 * profile samples by route. Kept in a fixed-size typed array per profile
 * interval: past its capacity, windows are dropped and counted, never held.
 * Times are on the V8 profiler's clock (monotonic microseconds, the clock
 * `process.hrtime` reads). Runs on the app's thread; nothing here throws.
 */
import dc from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from '../probe/clock.js';
import { noteFault } from '../probe/faults.js';
import { routeTemplateOf } from '../probe/routes/index.js';
import { foldPath } from '../watch/fold-path.js';

/** One interval's request windows: `[startUs, endUs, routeIndex]` triples, and the routes they index. */
export interface WindowBatch {
  windows: Float64Array;
  routes: string[];
  /** Windows left out because the interval's buffer was full. */
  dropped: number;
}

/** Routes per interval; the rest share one label (a bare listener's folded paths can be many). */
export const MAX_ROUTES = 200;
export const OTHER_ROUTES = '(other routes)';

/** Profiler-clock microseconds minus performance.now() microseconds, from two readings in a row. */
function clockOffsetUs(): number {
  // the first reading loads node:perf_hooks (probe/clock.ts): several ms between two readings otherwise
  const nowMs = performance.now();
  return Number(process.hrtime.bigint() / 1000n) - nowMs * 1000;
}

export class RouteWindows {
  private readonly buffer: Float64Array;
  private count = 0;
  private dropped = 0;
  private routes = new Map<string, number>();
  private names: string[] = [];
  private readonly started = new WeakMap<ServerResponse, number>();
  /** performance.now() milliseconds → profiler-clock microseconds. */
  private readonly offsetUs = clockOffsetUs();

  constructor(private readonly capacity = 32_768) {
    this.buffer = new Float64Array(capacity * 3);
  }

  /** Subscribes to the HTTP server channels; returns the function that unsubscribes. */
  listen(): () => void {
    const onStart = (message: unknown): void => {
      try {
        this.started.set((message as { response: ServerResponse }).response, performance.now());
      } catch (error) {
        noteFault('route windows start', error);
      }
    };
    const onFinish = (message: unknown): void => {
      try {
        const { request, response } = message as { request?: IncomingMessage; response: ServerResponse };
        const start = this.started.get(response);
        if (start === undefined) return;
        this.started.delete(response);
        this.add(start, performance.now(), request ?? (response.req as IncomingMessage));
      } catch (error) {
        noteFault('route windows finish', error);
      }
    };
    dc.subscribe('http.server.request.start', onStart);
    dc.subscribe('http.server.response.finish', onFinish);
    return () => {
      dc.unsubscribe('http.server.request.start', onStart);
      dc.unsubscribe('http.server.response.finish', onFinish);
    };
  }

  private add(startMs: number, endMs: number, request: IncomingMessage): void {
    if (this.count >= this.capacity) {
      this.dropped += 1;
      return;
    }
    const route = `${request.method ?? 'GET'} ${routeTemplateOf(request)?.route ?? foldPath(request.url ?? '/')}`;
    const index = this.routes.get(route) ?? this.indexFor(route);
    const at = this.count * 3;
    this.buffer[at] = startMs * 1000 + this.offsetUs;
    this.buffer[at + 1] = endMs * 1000 + this.offsetUs;
    this.buffer[at + 2] = index;
    this.count += 1;
  }

  private indexFor(route: string): number {
    const name = this.names.length < MAX_ROUTES ? route : OTHER_ROUTES;
    let index = this.routes.get(name);
    if (index === undefined) {
      index = this.names.length;
      this.names.push(name);
      this.routes.set(name, index);
    }
    return index;
  }

  /** The windows so far (handed over: the buffer is transferable), and a fresh interval. */
  take(): WindowBatch {
    const batch = { windows: this.buffer.slice(0, this.count * 3), routes: this.names, dropped: this.dropped };
    this.count = 0;
    this.dropped = 0;
    this.routes = new Map();
    this.names = [];
    return batch;
  }
}
