import { Worker } from 'node:worker_threads';
import type { LoadOptions } from './options.js';
import { type RunControl, runLoad } from './run.js';
import { type BenchStats, type BenchStatsData, createStats, mergeData } from './stats.js';

type WorkerMessage = { type: 'progress'; requests: number; errors: number } | { type: 'done'; data: BenchStatsData };

/** Splits `total` into `parts` whole shares that differ by at most one. */
export function splitEvenly(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

/** The share of the load one of `workers` threads runs: connections, requests and rate split evenly. */
export function shareOf(load: LoadOptions, workers: number): LoadOptions[] {
  const connections = splitEvenly(load.concurrency, workers);
  const requests = load.requests === undefined ? undefined : splitEvenly(load.requests, workers);
  return connections.map((concurrency, i) => ({
    ...load,
    concurrency,
    requests: requests?.[i],
    rate: load.rate === undefined ? undefined : load.rate / workers,
  }));
}

// Source runs (tests, through tsx) load the .ts file; the build loads .js.
const entry = new URL(`./worker-entry${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

function spawn(share: LoadOptions): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData: share });
  // Source runs: Node 20 workers do not inherit tsx's loader hooks, so the worker registers them first.
  const api = import.meta.resolve('tsx/esm/api');
  const source = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(source, { eval: true, workerData: share });
}

/**
 * Runs the load on `workers` threads (one per core beyond the first) and
 * merges their histograms and counters. `control.stats` gets live totals
 * while running (for the progress line) and the merged result at the end.
 */
export async function runLoadOnWorkers(
  load: LoadOptions,
  workers: number,
  control: RunControl = {},
): Promise<BenchStats> {
  if (workers <= 1) return runLoad(load, control);
  const live = control.stats ?? createStats();
  const counts = Array.from({ length: workers }, () => ({ requests: 0, errors: 0 }));
  const threads = shareOf(load, workers).map(spawn);
  const stop = (): void => {
    for (const t of threads) t.postMessage('stop');
  };
  control.signal?.addEventListener('abort', stop, { once: true });
  try {
    const results = await Promise.all(
      threads.map(
        (thread, i) =>
          new Promise<BenchStatsData>((resolve, reject) => {
            thread.on('message', (message: WorkerMessage) => {
              if (message.type === 'progress') {
                counts[i] = { requests: message.requests, errors: message.errors };
                live.requests = counts.reduce((sum, c) => sum + c.requests, 0);
                live.errors = counts.reduce((sum, c) => sum + c.errors, 0);
              } else resolve(message.data);
            });
            thread.on('error', reject);
            thread.on('exit', (code) => reject(new Error(`bench worker exited with code ${code} before reporting`)));
          }),
      ),
    );
    const merged = createStats();
    for (const data of results) mergeData(merged, data);
    Object.assign(live, merged);
    return live;
  } finally {
    control.signal?.removeEventListener('abort', stop);
    await Promise.all(threads.map((t) => t.terminate()));
  }
}
