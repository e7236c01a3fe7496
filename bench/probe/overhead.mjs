#!/usr/bin/env node
// The probe's cost the way users run culprit (issue 15): `culprit profile` in
// command and module mode against `node --cpu-prof` and 0x on the same two
// routes (app.mjs: a 130 KB JSON body; a 1 ms timer + 2 ms of CPU), the
// server pinned to core 0, this script (the load, the CLI) to core 1, modes
// interleaved round by round. Every server preloads cpu-window.cjs, so every
// mode is measured alike: process CPU (all threads) from one request's start
// to the next's, so work done after a response finished counts too.
// culprit's figure is its timing pass (the requests after its warm-ups).
// Two more tables check what the profile says against the peers': each app
// function's share of the busy (non-idle) sampled time beside `node
// --cpu-prof`'s on the same route, and culprit's %timeit median beside the
// unprofiled server's own request wall time (cpu-window.cjs).
//   node bench/probe/overhead.mjs [--rounds 3] [-n 30] [--warmup 10] [--interval µs] [--culprit DIR]
// --interval sets the sampling interval of culprit and --cpu-prof alike (default 1000 µs, both tools'
// default): at 1 ms, 30 requests of /json give ~30 samples, too few to compare shares within 3 points.
// 0x comes from npm: `npm install --prefix bench/probe` (skipped when absent).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { canPin, descendants, onCore, pinPid, pinSelf } from './pin.mjs';

pinSelf(1);
const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../..');
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    n: { type: 'string', short: 'n', default: '30' },
    warmup: { type: 'string', default: '10' },
    culprit: { type: 'string', default: join(root, 'packages/culprit') },
    routes: { type: 'string', default: '/json,/timer' },
    modes: { type: 'string' },
    interval: { type: 'string', default: '1000' },
  },
});
const N = Number(values.n);
const W = Number(values.warmup);
const app = join(here, 'app.mjs');
const culprit = join(values.culprit, 'bin/culprit.js');
const zeroX = join(here, 'node_modules/0x/cmd.js');
const scratch = mkdtempSync(join(tmpdir(), 'culprit-overhead-'));
const log = (line) => process.stderr.write(`${line}\n`);
let port = 7400 + Math.floor(Math.random() * 500);

/** Sends `count` GETs one after the other on one keep-alive connection. */
async function load(url, count) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < count; i++) {
    await new Promise((resolve, reject) => {
      http
        .get(url, { agent }, (res) => {
          res.resume();
          res.on('end', resolve);
        })
        .on('error', reject);
    });
  }
  agent.destroy();
}

/** Starts `command` and resolves once `port` answers. */
async function startServer(command, env) {
  const child = spawn(command[0], command.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr.slice(-500)}`);
    const up = await new Promise((resolve) => {
      http.get(`http://127.0.0.1:${port}/`, (res) => resolve(res.resume() && true)).on('error', () => resolve(false));
    });
    if (up) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server never answered');
}

/** Stops a server's process group; what a profiler does after (0x draws its flame graph) is not waited for. */
function stop(child, signal = 'SIGTERM') {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const kill = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 5000);
    child.on('exit', () => {
      clearTimeout(kill);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      resolve();
    });
    process.kill(-child.pid, signal);
  });
}

/** Runs a culprit command; pins the target (culprit's descendants) to core 0 once they appear. */
function runCulprit(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [culprit, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const pinned = new Set();
    const timer = setInterval(() => {
      for (const pid of descendants(child.pid)) {
        if (!pinned.has(pid)) {
          pinned.add(pid);
          pinPid(pid, 0);
        }
      }
    }, 20);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`culprit ${args[0]} exited ${code}: ${stderr.slice(-800)}`));
    });
  });
}

/** What both culprit modes are run with: the same sampling, warm-up and count as the peers get. */
const profileFlags = ['profile', '--interval', values.interval, '--warmup', String(W), '-n', String(N), '--json'];
const modes = {
  unprofiled: { peer: () => onCore(0, [process.execPath, app]) },
  'node --cpu-prof': {
    peer: (dir) =>
      onCore(0, [
        process.execPath,
        '--cpu-prof',
        `--cpu-prof-dir=${dir}`,
        `--cpu-prof-interval=${values.interval}`,
        app,
      ]),
    shares: (dir, fromUs, toUs) =>
      cpuProfShares(JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]), 'utf8')), fromUs, toUs),
  },
  '0x': {
    available: existsSync(zeroX),
    peer: () => onCore(0, [process.execPath, zeroX, '--collect-only', '--output-dir', join(scratch, '0x-{pid}'), app]),
    signal: 'SIGINT',
  },
  'culprit profile URL -- node': {
    culprit: (route) => [
      ...profileFlags,
      `http://127.0.0.1:${port}${route}`,
      '--',
      ...onCore(0, [process.execPath, app]),
    ],
  },
  'culprit profile --app': {
    culprit: (route) => [...profileFlags, '--app', app, 'GET', route],
  },
};
const chosen = Object.entries(modes).filter(
  ([name, mode]) =>
    mode.available !== false &&
    (name === 'unprofiled' || !values.modes || values.modes.split(',').some((m) => name.includes(m))),
);
for (const [name, mode] of Object.entries(modes))
  if (mode.available === false) log(`${name}: not installed (npm install --prefix bench/probe), skipped`);
if (!canPin) log('taskset not found: server and load are not pinned');

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
/** The app's functions (app.mjs) whose shares are compared. */
const APP_FUNCTIONS = ['listener', 'records', 'burn'];

/** Self time of each app function as a share (%) of the busy (non-idle) time of a .cpuprofile, within [fromUs, toUs). */
function cpuProfShares(profile, fromUs, toUs) {
  const self = new Map();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at >= fromUs && at < toUs) self.set(id, (self.get(id) ?? 0) + delta);
  });
  let busy = 0;
  const byName = Object.fromEntries(APP_FUNCTIONS.map((name) => [name, 0]));
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    if (node.callFrame.functionName === '(idle)') continue;
    busy += us;
    if (node.callFrame.url.endsWith('/app.mjs') && node.callFrame.functionName in byName) {
      byName[node.callFrame.functionName] += us;
    }
  }
  return Object.fromEntries(Object.entries(byName).map(([name, us]) => [name, (100 * us) / busy]));
}

/** The same shares from culprit's capture (--json), and its %timeit median (the timing pass's request times). */
function culpritFigures(capture) {
  const functions = capture.profile.functions;
  const root = functions.find((fn) => fn.category === 'root')?.totalMs ?? 0;
  const idle = functions.find((fn) => fn.category === 'idle')?.selfMs ?? 0;
  const byName = Object.fromEntries(APP_FUNCTIONS.map((name) => [name, 0]));
  for (const fn of functions) if (fn.category === 'app' && fn.name in byName) byName[fn.name] += fn.selfMs;
  const shares = Object.fromEntries(Object.entries(byName).map(([name, ms]) => [name, (100 * ms) / (root - idle)]));
  return { shares, timeitMs: median(capture.profile.loopsMs) };
}

const routes = values.routes.split(',');
/** results[route][mode] = per-round medians of CPU per request (ms). */
const results = Object.fromEntries(routes.map((r) => [r, Object.fromEntries(chosen.map(([n]) => [n, []]))]));
/** shares[route][mode] = per-round app function shares (%); walls[route][mode] = per-round median wall (ms). */
const shares = Object.fromEntries(routes.map((r) => [r, Object.fromEntries(chosen.map(([n]) => [n, []]))]));
const walls = Object.fromEntries(routes.map((r) => [r, Object.fromEntries(chosen.map(([n]) => [n, []]))]));
/** timeits[route][mode] = culprit's %timeit median per round (ms). */
const timeits = Object.fromEntries(routes.map((r) => [r, Object.fromEntries(chosen.map(([n]) => [n, []]))]));
const columns = (file) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(' ').map(Number));

for (let round = 0; round < Number(values.rounds); round++) {
  for (const route of routes) {
    for (const [name, mode] of chosen) {
      port += 1;
      const file = join(scratch, `cpu-${round}-${route.slice(1)}-${name.replace(/\W+/g, '_')}.txt`);
      const env = {
        ...process.env,
        PORT: String(port),
        BENCH_CPU_FILE: file,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${join(here, 'cpu-window.cjs')}`.trim(),
      };
      let timed;
      if (mode.peer) {
        const dir = join(scratch, `profile-${round}-${route.slice(1)}-${name.replace(/\W+/g, '_')}`);
        const child = await startServer(mode.peer(dir), env);
        await load(`http://127.0.0.1:${port}${route}`, W + N);
        await stop(child, mode.signal);
        // the first request answers the readiness check; cycles of requests W … W+N-2 (the last has none)
        const lines = columns(file);
        timed = lines.slice(1 + W, W + N);
        walls[route][name].push(median(timed.map((c) => c[1])));
        // the same requests' window: from the first timed request's start to the next one after the last
        if (mode.shares) shares[route][name].push(mode.shares(dir, timed[0][2], lines.at(-1)[2]));
      } else {
        const figures = culpritFigures(JSON.parse(await runCulprit(mode.culprit(route), env)));
        const lines = columns(file);
        if (lines.length < W + 2 * N - 1) log(`${name}: ${lines.length} cycles seen, expected ${W + 2 * N - 1}`);
        timed = lines.slice(W, W + N - 1); // warm-up, then the timing pass, then the count pass
        shares[route][name].push(figures.shares);
        walls[route][name].push(median(timed.map((c) => c[1])));
        timeits[route][name].push(figures.timeitMs);
      }
      timed = timed.map((c) => c[0]);
      results[route][name].push(median(timed));
      log(`round ${round + 1} ${route} ${name}: ${median(timed).toFixed(2)} ms CPU/request`);
    }
  }
}
rmSync(scratch, { recursive: true, force: true });

console.log(
  `per-request CPU ÷ unprofiled (median of ${values.rounds} rounds × ${N} requests; server on core 0, load on core 1${canPin ? '' : ' (not pinned)'})`,
);
console.log(`${'mode'.padEnd(30)}${routes.map((r) => `${r} CPU/request  ratio`.padStart(30)).join('')}`);
for (const [name] of chosen) {
  const cells = routes.map((route) => {
    const ratios = results[route][name].map((v, i) => v / results[route].unprofiled[i]);
    return `${median(results[route][name]).toFixed(2)} ms  ${median(ratios).toFixed(2)}×`.padStart(30);
  });
  console.log(`${name.padEnd(30)}${cells.join('')}`);
}

const withShares = chosen.filter(([name]) => shares[routes[0]][name].length > 0);
console.log(
  `\napp functions' share of busy sampled time (self, %; median of rounds), points from node --cpu-prof's in brackets`,
);
for (const route of routes) {
  const peer = shares[route]['node --cpu-prof'];
  for (const fn of APP_FUNCTIONS) {
    const peerShare = peer?.length ? median(peer.map((s) => s[fn])) : undefined;
    if (!peerShare && !withShares.some(([name]) => median(shares[route][name].map((s) => s[fn])) > 0.5)) continue;
    const cells = withShares.map(([name]) => {
      const rounds = shares[route][name].map((s) => s[fn]);
      const share = median(rounds);
      // the reference's own rounds (separate processes, each optimizing and inlining its own way) set how
      // close two profilers' shares can be told apart
      const spread =
        name === 'node --cpu-prof' && rounds.length > 1
          ? `, rounds ${Math.min(...rounds).toFixed(1)}–${Math.max(...rounds).toFixed(1)}`
          : '';
      const diff =
        peerShare === undefined || name === 'node --cpu-prof'
          ? ''
          : ` (${share - peerShare >= 0 ? '+' : ''}${(share - peerShare).toFixed(1)})`;
      return `${name}: ${share.toFixed(1)}%${spread}${diff}`;
    });
    console.log(`${route} ${fn}`.padEnd(18) + cells.join('   '));
  }
}
console.log(`\nrequest wall time, server side (median of rounds' medians), and culprit's %timeit median`);
for (const route of routes) {
  const base = median(walls[route].unprofiled);
  const cells = chosen.map(([name]) => {
    const ms = median(walls[route][name]);
    const timeit = timeits[route][name].length ? median(timeits[route][name]) : undefined;
    const said = timeit === undefined ? '' : `, %timeit ${timeit.toFixed(2)} ms (${(timeit / base).toFixed(2)}×)`;
    return `${name}: ${ms.toFixed(2)} ms (${(ms / base).toFixed(2)}×)${said}`;
  });
  console.log(`${route}  ${cells.join('   ')}`);
}
