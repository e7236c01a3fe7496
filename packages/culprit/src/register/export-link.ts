/**
 * The main thread's end of the export worker: hands it sampled requests
 * without ever waiting on it. At most `maxPending` requests may be on their
 * way (posted, not yet answered `done`); past that, new ones are dropped and
 * counted, so a slow or stuck worker (a slow exporter) costs the app neither
 * memory nor time. The worker is unref'd: it never keeps the app alive; and
 * it starts with the first batch handed over (or the CPU profile), not with the app.
 */
import type { Worker } from 'node:worker_threads';
import type { FromWorker, SampledRequest, ToWorker, WorkerCounts, WorkerSettings } from '../otel/messages.js';
import type { WindowBatch } from './route-windows.js';

/**
 * How long sampled requests wait on the app's thread to be posted together. Each hand-over is a message
 * cloned on the app's thread, a wake-up of the worker (on the app's core when the process is pinned to one)
 * and its `done` answer back: at 50 ms that was up to 20 of each a second, for the one request each carried
 * at the default limit. The OTLP sender batches for a second anyway (otlp-sender.ts), so a second here
 * delays a span by at most that much more.
 */
const BATCH_MS = 1000;
/** Requests that hand the batch over at once (a caller's sampled traces are not limited per second). */
const BATCH_REQUESTS = 64;

export interface LinkCounts extends WorkerCounts {
  /** Requests posted and not yet handled by the worker. */
  pending: number;
  /** Requests dropped on the main thread because the worker was behind. */
  droppedRequests: number;
}

export class ExportLink {
  private pending = 0;
  private dropped = 0;
  /** Requests handed over since the last flush: an exit with none waits for nothing. */
  private unflushed = 0;
  /** The worker samples this thread's CPU: its inspector session must let go before the exit. */
  private profiling = false;
  private nextCall = 1;
  private batch: SampledRequest[] = [];
  private batchTimer: NodeJS.Timeout | undefined;
  private broken: string | undefined;
  private readonly calls = new Map<number, (message: FromWorker) => void>();
  /** Started at the first use: an app's start-up does not wait for the export thread's start and imports. */
  private worker: Worker | undefined;

  constructor(
    private readonly settings: WorkerSettings,
    private readonly maxPending: number,
    private readonly onBroken: (reason: string) => void,
  ) {}

  /** The export thread, started now if not yet (undefined once it broke). */
  private thread(): Worker | undefined {
    if (this.broken) return undefined;
    if (this.worker) return this.worker;
    try {
      // no execArgv: the app's `--import culprit/register` must not load again inside the worker
      // loaded with the thread: node:worker_threads and the streams under it cost the app's start-up ≈1.5 ms
      const threads = process.getBuiltinModule('node:worker_threads');
      const worker = new threads.Worker(new URL('../otel/export-worker.js', import.meta.url), {
        workerData: this.settings,
        execArgv: [],
      });
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'done') this.pending = Math.max(0, this.pending - message.count);
        else this.calls.get(message.id)?.(message);
      });
      worker.on('error', (error) => this.stop(error.message));
      worker.on('exit', (code) => this.stop(`the export thread exited (code ${code})`));
      // after the listeners: adding a 'message' listener refs the worker's port again, and the app would never exit
      worker.unref();
      this.worker = worker;
      return worker;
    } catch (error) {
      this.stop(`the export thread did not start: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private stop(reason: string): void {
    if (this.broken) return;
    this.broken = reason;
    for (const resolve of this.calls.values()) resolve({ type: 'flushed', id: 0 });
    this.calls.clear();
    this.onBroken(reason);
  }

  /** True when the request was handed over; false when dropped (worker behind or gone). */
  post(request: SampledRequest): boolean {
    if (this.broken || this.pending >= this.maxPending) {
      this.dropped += 1;
      return false;
    }
    this.pending += 1;
    this.unflushed += 1;
    this.batch.push(request);
    if (this.batch.length >= BATCH_REQUESTS) this.handOver();
    else this.batchTimer ??= setTimeout(() => this.handOver(), BATCH_MS).unref();
    return true;
  }

  /** Posts the requests batched so far: one message per batch, not per request (each costs the app's thread). */
  private handOver(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    if (this.batch.length === 0) return;
    const requests = this.batch;
    this.batch = [];
    this.thread()?.postMessage({ type: 'requests', requests } satisfies ToWorker);
  }

  /** Ends a CPU profile interval; the windows' buffer moves to the worker (no copy). */
  cutProfile(batch: WindowBatch): void {
    this.profiling = true;
    const message: ToWorker = { type: 'profile-cut', ...batch };
    this.thread()?.postMessage(message, [batch.windows.buffer as ArrayBuffer]);
  }

  /** Marks the worker as sampling this thread from the start (so the exit always lets the session go). */
  setProfiling(): void {
    this.profiling = true;
    this.thread(); // the worker's CPU profile of this thread starts with the worker
  }

  private call(message: Omit<Extract<ToWorker, { id: number }>, 'id'>): Promise<FromWorker | undefined> {
    const worker = this.thread();
    if (!worker) return Promise.resolve(undefined);
    const id = this.nextCall++;
    return new Promise((resolve) => {
      this.calls.set(id, (answer) => {
        this.calls.delete(id);
        resolve(answer);
      });
      worker.postMessage({ ...message, id } as ToWorker);
    });
  }

  /** Resolves once everything handed over so far was exported (or dropped). */
  async flush(): Promise<void> {
    this.unflushed = 0;
    this.handOver();
    if (!this.worker) return; // never started: nothing was handed over
    await this.call({ type: 'flush' });
  }

  /**
   * For the process's last moments (an 'exit' listener, a signal about to be
   * re-raised), where nothing asynchronous runs on this thread any more: asks
   * the worker to send what it holds and blocks this thread until it has, or
   * `timeoutMs` passed. The worker's own event loop does the sending meanwhile.
   * True when the worker finished in time (or had nothing to do).
   */
  flushSync(timeoutMs: number): boolean {
    if (this.broken || (this.unflushed === 0 && !this.profiling)) return true;
    this.unflushed = 0;
    this.handOver();
    const worker = this.thread();
    if (!worker) return true;
    const done = new SharedArrayBuffer(4);
    worker.postMessage({ type: 'flush-sync', done, timeoutMs } satisfies ToWorker);
    return Atomics.wait(new Int32Array(done), 0, 0, timeoutMs + 100) !== 'timed-out';
  }

  async counts(): Promise<LinkCounts> {
    this.handOver();
    const answer = this.worker ? await this.call({ type: 'counts' }) : undefined;
    const worker: WorkerCounts =
      answer?.type === 'counts'
        ? answer.counts
        : { requests: 0, exportedSpans: 0, droppedSpans: 0, queuedSpans: 0, failures: {}, faults: 0 };
    return { ...worker, pending: this.pending, droppedRequests: this.dropped };
  }

  /** Stops the worker (tests; the app's exit stops it anyway). */
  async close(): Promise<void> {
    await this.worker?.terminate();
  }
}
