import { parentPort, workerData } from 'node:worker_threads';
import type { LoadOptions } from './options.js';
import { runLoad } from './run.js';
import { createStats, toData } from './stats.js';

/**
 * Inside one `--workers` thread: runs its share of the load and posts live
 * counts every 100 ms, then its stats as data (histogram encoded) to merge.
 * Message shapes are in run-workers.ts.
 */
const port = parentPort;
if (port !== null) {
  const load = workerData as LoadOptions;
  const controller = new AbortController();
  port.on('message', (message: unknown) => {
    if (message === 'stop') controller.abort();
  });
  const stats = createStats();
  const progress = setInterval(
    () => port.postMessage({ type: 'progress', requests: stats.requests, errors: stats.errors }),
    100,
  );
  runLoad(load, { signal: controller.signal, stats }).then((done) => {
    clearInterval(progress);
    port.postMessage({ type: 'done', data: toData(done) });
    port.close();
  });
}
