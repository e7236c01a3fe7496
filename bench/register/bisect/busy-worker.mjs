// A worker thread as busy as register's export worker, doing none of its work: started 200 ms in, it is handed a
// message once a second and answers it after ~5 ms of allocating JavaScript (register's worker: ≈3 ms a second
// at 20 recorded requests). Tells whether a worker's activity on the app's core costs the app's thread.
import { Worker } from 'node:worker_threads';

const body = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', () => {
  const until = performance.now() + 5;
  let kept = 0;
  while (performance.now() < until) kept += JSON.stringify({ spans: Array.from({ length: 50 }, (_, i) => ({ i, name: 'span' + i })) }).length;
  parentPort.postMessage({ type: 'done', kept });
});`;
setTimeout(() => {
  const worker = new Worker(body, { eval: true });
  worker.on('message', () => {});
  worker.unref();
  setInterval(() => worker.postMessage({ type: 'requests', requests: [{ record: { url: '/' } }] }), 1000).unref();
}, 200);
