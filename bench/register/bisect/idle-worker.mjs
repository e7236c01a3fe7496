// What an idle worker thread costs the app's thread (register's export worker, minus its work): started 200 ms in,
// as register starts its worker at the first recorded request, with a message listener on each side, unref'd.
import { Worker } from 'node:worker_threads';

setTimeout(() => {
  const worker = new Worker('require("node:worker_threads").parentPort.on("message", () => {})', { eval: true });
  worker.on('message', () => {});
  worker.unref();
}, 200);
