#!/usr/bin/env node
// remote-calls.mjs's child: one client, one mode, awaited operations after a
// warm-up; prints what it measured as JSON. Run by remote-calls.mjs (under
// valgrind for --instructions), not by hand:
//
//   node bench/network/remote-child.mjs CLIENT MODE OPS URL
//
// Modes: none (no probe), idle (hooks installed, no trace), scoped (requests
// in a request scope, nothing recorded), recorded (a trace listens; each
// request's calls become wire records at its end), ab (recorded blocks and
// blocks in a closed scope interleaved in one scope: the time mode's
// in-process row), rounds (scoped and recorded requests alternating in one
// process: the wall-clock figure beside the instruction counts).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = process.env.CULPRIT_BENCH_DIST ?? `${root}packages/culprit/dist/probe/`;
export const REQUEST_SIZE = 50; // operations per emulated request: its records are built at its end
const WARM_UP = 200;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The client's operation: one awaited call, as an app makes it. */
async function clientOperation(client, url, http) {
  const require = createRequire(`${root}packages/culprit/package.json`);
  const agent = new http.Agent({ keepAlive: true });
  const clients = {
    fetch: async () => () => fetch(url).then((r) => r.text()),
    'http.get': async () => () =>
      new Promise((done, fail) => http.get(url, { agent }, (r) => r.resume().on('end', done)).on('error', fail)),
    'http.request': async () => () =>
      new Promise((done, fail) => {
        const request = http.request(url, { agent }, (r) => r.resume().on('end', done)).on('error', fail);
        request.end();
      }),
    got: async () => {
      const got = (await import(require.resolve('got'))).default;
      return () => got(url, { agent: { http: agent } }).text();
    },
    axios: async () => {
      // axios's Node adapter: http.request through follow-redirects, inside the app's call (14 frames below it)
      const axios = require('axios');
      return () => axios.get(url, { httpAgent: agent, responseType: 'text' });
    },
    'node-redis': async () => {
      const redis = require('redis').createClient({ url: 'redis://127.0.0.1:6379' });
      await redis.connect();
      return () => redis.get('culprit:bench:remote');
    },
    ioredis: async () => {
      const Redis = require('ioredis');
      const redis = new Redis(6379, '127.0.0.1');
      return () => redis.get('culprit:bench:remote');
    },
  };
  return clients[client]();
}

/** The probe's hooks, installed as the probe's start installs them; listening in the modes that record. */
async function installProbe(mode) {
  const remote = await import(`${dist}remote/index.js`);
  const context = await import(`${dist}request-context.js`);
  const { remoteCallsOf } = await import(`${dist}remote/to-probe.js`);
  remote.installRemoteHooks();
  // the ES module patches (got's Options) as the probe's start installs them; Node 20: the loader thread
  process.env.CULPRIT_ESM_HOOKS = '1';
  (await import(`${dist}queries/esm-hook.js`)).startEsmHooks();
  if (mode === 'recorded' || mode === 'ab' || mode === 'rounds') {
    context.setQueriesWanted(true);
    remote.listenRemote(true);
  }
  return { remote, context, remoteCallsOf };
}

let requestId = 0;
const newScope = (closed = false) => ({ requestId: ++requestId, startedAt: performance.now(), queries: [], closed });

/** `ops` operations as requests of REQUEST_SIZE after the warm-up: µs per operation (wall, user, user + system). */
async function steadyRun(op, probe, mode, ops) {
  /** `count` operations as one request: scoped in the modes that scope, recorded and turned into records in `recorded`. */
  async function request(count) {
    const run = async () => {
      for (let i = 0; i < count; i++) await op();
    };
    if (mode === 'none' || mode === 'idle') return run();
    const scope = newScope();
    await probe.context.runInScope(scope, run);
    scope.closed = true;
    if (mode === 'recorded') probe.remoteCallsOf(scope, false);
  }
  async function timed(count) {
    const cpu = process.cpuUsage();
    const t = performance.now();
    for (let done = 0; done < count; done += REQUEST_SIZE) await request(Math.min(REQUEST_SIZE, count - done));
    const used = process.cpuUsage(cpu);
    return { wall: (performance.now() - t) * 1000, user: used.user, cpu: used.user + used.system };
  }
  await timed(WARM_UP);
  // under --instructions: the start-up's full GC is finished before the measured operations (see STEADY)
  globalThis.gc?.();
  const { wall, user, cpu } = await timed(ops);
  return { wallUs: wall / ops, userUs: user / ops, cpuUs: cpu / ops };
}

/** One scope, blocks recorded and blocks in the closed scope interleaved: they share the JIT and the load. */
async function abRun(op, probe, ops) {
  const scope = newScope();
  const block = async (count) => {
    const cpu = process.cpuUsage();
    const t = performance.now();
    for (let i = 0; i < count; i++) await op();
    const used = process.cpuUsage(cpu);
    return { wall: (performance.now() - t) * 1000, cpu: used.user + used.system };
  };
  return probe.context.runInScope(scope, async () => {
    for (let i = 0; i < WARM_UP; i++) await op();
    const sums = { on: { wall: 0, cpu: 0 }, off: { wall: 0, cpu: 0 } };
    for (let done = 0; done < ops; done += REQUEST_SIZE) {
      for (const side of (done / REQUEST_SIZE) % 2 === 0 ? ['on', 'off'] : ['off', 'on']) {
        scope.closed = side === 'off';
        scope.remote = [];
        const { wall, cpu } = await block(REQUEST_SIZE);
        sums[side].wall += wall;
        sums[side].cpu += cpu;
      }
    }
    const n = Math.ceil(ops / REQUEST_SIZE) * REQUEST_SIZE;
    return {
      wallUs: sums.on.wall / n,
      cpuUs: sums.on.cpu / n,
      offWallUs: sums.off.wall / n,
      offCpuUs: sums.off.cpu / n,
    };
  });
}

/**
 * Rounds of one scoped and one recorded request (REQUEST_SIZE operations each, which goes first alternating),
 * in one process so that both sides share the JIT's state, the heap and the load of the moment: µs per
 * operation, recorded − scoped, the median over the rounds (load adds to a round's time, not to the
 * median of many). The scoped side runs in a closed scope with no trace listening (the channels unsubscribed,
 * the global fetch unwrapped), as the scoped mode; the recorded side listens and builds its records at the end.
 */
async function roundsRun(op, probe, ops) {
  const side = async (recorded) => {
    probe.remote.listenRemote(recorded);
    const scope = newScope(!recorded);
    const cpu = process.cpuUsage();
    const t = performance.now();
    await probe.context.runInScope(scope, async () => {
      for (let i = 0; i < REQUEST_SIZE; i++) await op();
    });
    scope.closed = true;
    if (recorded) probe.remoteCallsOf(scope, false);
    const used = process.cpuUsage(cpu);
    return { wall: ((performance.now() - t) * 1000) / REQUEST_SIZE, cpu: (used.user + used.system) / REQUEST_SIZE };
  };
  for (let done = 0; done < WARM_UP; done += 2 * REQUEST_SIZE) {
    await side(true);
    await side(false);
  }
  const rounds = Math.max(1, Math.round(ops / REQUEST_SIZE));
  const wall = { scoped: [], recorded: [], difference: [] };
  const cpu = { difference: [] };
  for (let round = 0; round < rounds; round++) {
    const first = round % 2 === 0;
    const a = await side(first);
    const b = await side(!first);
    const [recorded, scoped] = first ? [a, b] : [b, a];
    wall.scoped.push(scoped.wall);
    wall.recorded.push(recorded.wall);
    wall.difference.push(recorded.wall - scoped.wall);
    cpu.difference.push(recorded.cpu - scoped.cpu);
  }
  return {
    rounds,
    scopedWallUs: median(wall.scoped),
    recordedWallUs: median(wall.recorded),
    recordingWallUs: median(wall.difference),
    recordingCpuUs: median(cpu.difference),
  };
}

async function main() {
  const [client, mode, count, url] = process.argv.slice(2);
  const ops = Number(count);
  // loaded before the probe's hooks are installed, which wrap the loaded http module's request and get
  const http = (await import('node:http')).default;
  const probe = mode === 'none' ? undefined : await installProbe(mode);
  const op = await clientOperation(client, url, http);
  let result;
  if (mode === 'ab') result = await abRun(op, probe, ops);
  else if (mode === 'rounds') result = await roundsRun(op, probe, ops);
  else result = await steadyRun(op, probe, mode, ops);
  process.stdout.write(JSON.stringify(result));
  process.exit(0);
}

// imported by remote-calls.mjs for REQUEST_SIZE: runs only as the child
if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
