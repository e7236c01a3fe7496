#!/usr/bin/env node
// What recording outbound HTTP calls and Redis commands (probe/remote) costs
// per operation: the same awaited calls without the probe, with its hooks
// installed but no trace listening, and recorded inside a request's scope.
// The recording's own cost is measured inside one process, blocks of
// recorded calls interleaved with blocks of the same calls in a closed scope
// (what any traced request pays anyway, AsyncLocalStorage's promise hooks,
// is in both): the "recording" row.
// Clients: fetch (undici's channels), http.get (the wrapper and node's
// channels), got (its entry channel), node-redis and ioredis GET against
// 127.0.0.1:6379 (skipped where no Redis runs). Each variant runs in a fresh
// process; variants are interleaved run by run, and the median per operation
// of RUNS is printed, wall time and the process's CPU time, beside the
// difference to the run without the probe. Needs `npm run build`.
//   node bench/network/remote-calls.mjs [RUNS] [OPS]
import { execFileSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const runs = Number(process.argv[2] ?? 7);
const OPS = Number(process.argv[3] ?? 1_000);

const redisUp = await new Promise((done) => {
  const socket = createConnection(6379, '127.0.0.1');
  socket.once('connect', () => done(socket.end() && true));
  socket.once('error', () => done(false));
});

/**
 * One process: set up the client, warm up, then time OPS awaited operations
 * (wall and CPU per op, µs). Mode `ab` records inside a request's scope and
 * compares, in the same process, blocks of recorded operations with blocks
 * where the scope is closed (the hooks then stop at their first check):
 * interleaved blocks share the JIT and the machine's load, so their
 * difference is the recording's own cost.
 */
const variant = (client, mode) => `
  import http from 'node:http';
  import { createRequire } from 'node:module';
  const require = createRequire(${JSON.stringify(`${root}packages/culprit/package.json`)});
  const dist = ${JSON.stringify(`${root}packages/culprit/dist/probe/`)};
  const mode = ${JSON.stringify(mode)};
  const scope = { requestId: 1, startedAt: performance.now(), queries: [], closed: false };
  let inScope = (fn) => fn();
  if (mode !== 'none') {
    const remote = await import(dist + 'remote/index.js');
    const context = await import(dist + 'request-context.js');
    remote.installRemoteHooks();
    if (mode === 'ab') {
      context.setQueriesWanted(true);
      remote.listenRemote(true);
      inScope = (fn) => context.runInScope(scope, fn);
    }
  }
  const server = http.createServer((q, s) => s.end('{"ok":true}')).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = 'http://127.0.0.1:' + server.address().port + '/items/1';
  const agent = new http.Agent({ keepAlive: true });
  const clients = {
    fetch: async () => () => fetch(url).then((r) => r.text()),
    'http.get': async () => () =>
      new Promise((done, fail) => http.get(url, { agent }, (r) => r.resume().on('end', done)).on('error', fail)),
    got: async () => {
      const got = (await import(require.resolve('got'))).default;
      return () => got(url, { agent: { http: agent } }).text();
    },
    'node-redis': async () => {
      const client = require('redis').createClient({ url: 'redis://127.0.0.1:6379' });
      await client.connect();
      return () => client.get('culprit:bench:remote');
    },
    ioredis: async () => {
      const Redis = require('ioredis');
      const client = new Redis(6379, '127.0.0.1');
      return () => client.get('culprit:bench:remote');
    },
  };
  const op = await clients[${JSON.stringify(client)}]();
  async function block(count) {
    const cpu = process.cpuUsage();
    const t = performance.now();
    for (let i = 0; i < count; i++) await op();
    const used = process.cpuUsage(cpu);
    return { wall: (performance.now() - t) * 1000, cpu: used.user + used.system };
  }
  const result = await inScope(async () => {
    for (let i = 0; i < 200; i++) await op(); // warm-up
    if (mode !== 'ab') {
      const { wall, cpu } = await block(${OPS});
      return { wallUs: wall / ${OPS}, cpuUs: cpu / ${OPS} };
    }
    const sums = { on: { wall: 0, cpu: 0 }, off: { wall: 0, cpu: 0 } };
    const BLOCK = 50;
    for (let done = 0; done < ${OPS}; done += BLOCK) {
      for (const side of (done / BLOCK) % 2 === 0 ? ['on', 'off'] : ['off', 'on']) {
        scope.closed = side === 'off';
        scope.remote = [];
        const { wall, cpu } = await block(BLOCK);
        sums[side].wall += wall;
        sums[side].cpu += cpu;
      }
    }
    const n = Math.ceil(${OPS} / BLOCK) * BLOCK;
    return { wallUs: sums.on.wall / n, cpuUs: sums.on.cpu / n, offWallUs: sums.off.wall / n, offCpuUs: sums.off.cpu / n };
  });
  console.log(JSON.stringify(result));
  process.exit(0);
`;

const signed = (value) => `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const modes = [
  ['no probe', 'none'],
  ['probe idle (no trace)', 'idle'],
  ['recorded, in a request', 'ab'],
];
const clients = ['fetch', 'http.get', 'got', ...(redisUp ? ['node-redis', 'ioredis'] : [])];
if (!redisUp) process.stdout.write('Redis: nothing listens on 127.0.0.1:6379, its clients are skipped\n');

const samples = new Map();
for (let run = 0; run < runs; run++) {
  // interleaved: every variant once per round, so load changes hit them alike
  for (const client of clients) {
    for (const [, mode] of modes) {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', variant(client, mode)], {
        encoding: 'utf8',
        cwd: root,
      });
      const key = `${client}\u0000${mode}`;
      samples.set(key, [...(samples.get(key) ?? []), JSON.parse(out.trim())]);
    }
  }
}

process.stdout.write(
  `${OPS} awaited operations per process, median of ${runs} runs; loadavg ${(await import('node:os'))
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}\n`,
);
process.stdout.write(
  `${'client'.padEnd(11)} ${'variant'.padEnd(24)} ${'wall µs/op'.padStart(11)} ${'Δ'.padStart(7)} ${'CPU µs/op'.padStart(10)} ${'Δ'.padStart(7)}\n`,
);
for (const client of clients) {
  const base = samples.get(`${client}\u0000none`);
  const baseWall = median(base.map((s) => s.wallUs));
  const baseCpu = median(base.map((s) => s.cpuUs));
  for (const [name, mode] of modes) {
    const values = samples.get(`${client}\u0000${mode}`);
    const wall = median(values.map((s) => s.wallUs));
    const cpu = median(values.map((s) => s.cpuUs));
    const delta = (value, of) => (mode === 'none' ? '' : `${value - of >= 0 ? '+' : ''}${(value - of).toFixed(1)}`);
    process.stdout.write(
      `${client.padEnd(11)} ${name.padEnd(24)} ${wall.toFixed(1).padStart(11)} ${delta(wall, baseWall).padStart(7)} ${cpu.toFixed(1).padStart(10)} ${delta(cpu, baseCpu).padStart(7)}\n`,
    );
  }
  const ab = samples.get(`${client}\u0000ab`);
  const hooksWall = median(ab.map((s) => s.wallUs - s.offWallUs));
  const hooksCpu = median(ab.map((s) => s.cpuUs - s.offCpuUs));
  process.stdout.write(
    `${client.padEnd(11)} ${'recording (A/B in-process)'.padEnd(24)} ${signed(hooksWall).padStart(19)} ${signed(hooksCpu).padStart(18)}\n`,
  );
}
