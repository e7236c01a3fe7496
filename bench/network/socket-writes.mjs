#!/usr/bin/env node
// What the probe's socket-write count (probe/network/socket-writes.ts) adds to
// a client socket write: ns per write, corked (so the kernel is out of the
// measurement), without the wrapper, with it idle (no trace), listening
// outside any request, and listening inside a request's scope. Each variant
// runs in a fresh process; the median of RUNS is printed. Needs `npm run build`.
//   node bench/network/socket-writes.mjs [RUNS]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const runs = Number(process.argv[2] ?? 5);
const WRITES = 200_000;

const variant = (mode) => `
  import net from 'node:net';
  const dist = ${JSON.stringify(`${root}packages/culprit/dist/probe/`)};
  const mode = ${JSON.stringify(mode)};
  let inScope = (fn) => fn();
  if (mode !== 'none') {
    const watch = await import(dist + 'network/socket-writes.js');
    const context = await import(dist + 'request-context.js');
    watch.installSocketWatch();
    if (mode !== 'idle') watch.listenNetwork(true);
    if (mode === 'request') {
      const scope = { requestId: 1, queries: [], closed: false };
      inScope = (fn) => context.runInScope(scope, fn);
    }
  }
  const server = net.createServer((s) => s.resume()).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const socket = net.createConnection(server.address().port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  const chunk = Buffer.alloc(16);
  const ns = inScope(() => {
    socket.cork();
    for (let i = 0; i < 20_000; i++) socket.write(chunk); // warm-up
    const t = process.hrtime.bigint();
    for (let i = 0; i < ${WRITES}; i++) socket.write(chunk);
    const took = Number(process.hrtime.bigint() - t) / ${WRITES};
    return took;
  });
  socket.destroy();
  server.close();
  console.log(ns);
`;

const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const modes = [
  ['no probe', 'none'],
  ['probe idle (no trace)', 'idle'],
  ['listening, outside a request', 'outside'],
  ['listening, in a request', 'request'],
];
const rows = modes.map(([name, mode]) => {
  const values = Array.from({ length: runs }, () =>
    Number(execFileSync(process.execPath, ['--input-type=module', '-e', variant(mode)], { encoding: 'utf8' }).trim()),
  );
  return { name, ns: median(values) };
});
console.log(`ns per corked 16-byte socket.write, median of ${runs} processes × ${WRITES} writes`);
for (const row of rows) {
  console.log(`${row.name.padEnd(30)} ${row.ns.toFixed(0).padStart(6)} ns  +${(row.ns - rows[0].ns).toFixed(0)} ns`);
}
