#!/usr/bin/env node
// Where a preload's wall-clock cost goes when the app thread's instructions do not show it (issues 13, 15):
// the trivial server plain, with culprit/register and with the idle probe, driven through the same number
// of requests, and what the kernel says each thread of the server spent on them:
// - per thread: CPU (schedstat's nanoseconds; user and system from stat's 10 ms ticks), context switches
//   (voluntary: the thread waited; involuntary: it was preempted), named by comm and by when it started;
// - the process: minor faults, resident memory at the end;
// - --strace: the system calls of every thread over the measured requests (strace -f, after the warm-up),
//   counted per request and per thread, instead of the CPU figures (strace slows the server down).
// Server pinned to core 0, this script and the load (`culprit bench`) to core 1, modes interleaved.
//   node bench/register/cpu-accounting.mjs [--node PATH] [--requests 60000] [--warmup 20000] [--rounds 3] [-c 16]
//     [--modes plain,register,register-unsampled,probe-idle] [--strace] [--culprit DIR] [--node-args "--trace-gc"]
//     [--rate RPS] [--before DIR]
// --modes may also name one piece of register at a time: noop-subscriber, idle-worker, busy-worker, storage-turns,
// channel-turns (the preloads in bisect/).
// --rate: the requests paced at RPS (a fixed load, as production sees it) instead of a closed loop: the server's
// CPU then answers "what does register cost at this rate", where its 20 recorded requests a second weigh the same
// in every round; --before DIR: another build of packages/culprit (with its dist/) as mode register-before.
// --node: the server's Node binary (the load and the probe's CLI side run on this script's Node).
// --culprit DIR: another build of packages/culprit (with its dist/) for the register and probe modes.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { canPin, onCore, pinSelf } from '../probe/pin.mjs';

pinSelf(1);
const root = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({
  options: {
    node: { type: 'string', default: process.execPath },
    requests: { type: 'string', default: '60000' },
    warmup: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '3' },
    c: { type: 'string', short: 'c', default: '16' },
    modes: { type: 'string', default: 'plain,register,register-unsampled,probe-idle' },
    strace: { type: 'boolean', default: false },
    culprit: { type: 'string', default: join(root, 'packages/culprit') },
    'node-args': { type: 'string', default: '' },
    gc: { type: 'boolean', default: false },
    rate: { type: 'string' },
    before: { type: 'string' },
  },
});
const requests = Number(values.requests);
const trivial = fileURLToPath(new URL('trivial-server.mjs', import.meta.url));
const culpritBin = join(root, 'packages/culprit/bin/culprit.js');
const nodeArgs = values['node-args'].split(' ').filter(Boolean);
// --gc: every mode's server tallies its main thread's collections (gc-tally.cjs), read around the measured requests
const gcDir = values.gc ? mkdtempSync(join(tmpdir(), 'cpu-accounting-gc-')) : undefined;
if (gcDir) {
  nodeArgs.push('--require', fileURLToPath(new URL('gc-tally.cjs', import.meta.url)));
  process.env.CULPRIT_GC_TALLY_DIR = gcDir;
}
const log = (line) => process.stderr.write(`${line}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const TICK_MS = 10; // USER_HZ 100

// the collector: answers everything at once
let received = 0;
const sink = createServer((request, response) => {
  request.on('data', (chunk) => {
    received += chunk.length;
  });
  request.on('end', () => response.writeHead(200).end());
});
await new Promise((resolve) => sink.listen(0, '127.0.0.1', resolve));
const sinkUrl = `http://127.0.0.1:${sink.address().port}`;

/** Clock ticks since boot, as /proc/PID/stat's start times count them. */
const uptimeTicks = () => Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * (1000 / TICK_MS);

let port = 8400 + Math.floor(Math.random() * 500);

/** Starts `argv` on core 0 and resolves once it printed its port. */
async function spawned(argv, env) {
  const child = spawn(onCore(0, argv)[0], onCore(0, argv).slice(1), {
    cwd: root,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const listening = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
  return {
    readyTick: uptimeTicks(),
    url: `http://127.0.0.1:${listening}/`,
    pid: child.pid, // taskset execs the server
    close: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGKILL');
      }),
  };
}

const register =
  (rate, culprit = values.culprit) =>
  () =>
    spawned(
      [values.node, ...nodeArgs, '--import', pathToFileURL(join(culprit, 'dist/register/index.js')).href, trivial],
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl,
        CULPRIT_SAMPLE_RATE: rate,
      },
    );

/** The probe as `culprit` starts it (command mode), connected, every recording off. */
async function probeIdle() {
  port += 1;
  const { openTarget } = await import(pathToFileURL(join(values.culprit, 'dist/target/open-target.js')).href);
  const target = await openTarget({
    mode: 'command',
    command: onCore(0, [values.node, ...nodeArgs, trivial]),
    cwd: root,
    env: { ...process.env, PORT: String(port) },
    readyTimeoutMs: 60_000,
  });
  const pid = serverPid();
  return { readyTick: uptimeTicks(), url: `http://127.0.0.1:${port}/`, pid, close: () => target.close() };
}

/** The probed server: the descendant of this script that runs trivial-server.mjs. */
function serverPid() {
  const walk = (pid) => {
    let children = [];
    try {
      children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    } catch {
      return undefined;
    }
    for (const child of children.map(Number)) {
      const cmdline = readFileSync(`/proc/${child}/cmdline`, 'utf8');
      if (cmdline.includes('trivial-server') && !cmdline.startsWith('taskset')) return child;
      const deeper = walk(child);
      if (deeper) return deeper;
    }
    return undefined;
  };
  return walk(process.pid);
}

const modes = {
  plain: () => spawned([values.node, ...nodeArgs, trivial], {}),
  register: register('0.1'),
  'register-unsampled': register('0'),
  'probe-idle': probeIdle,
  ...(values.before ? { 'register-before': register('0.1', values.before) } : {}),
  // one piece of what register does at a time (bench/register/README.md, reg13's bisection)
  ...Object.fromEntries(
    ['noop-subscriber', 'idle-worker', 'busy-worker', 'storage-turns', 'channel-turns'].map((piece) => [
      piece,
      () =>
        spawned(
          [
            values.node,
            ...nodeArgs,
            '--import',
            pathToFileURL(fileURLToPath(new URL(`bisect/${piece}.mjs`, import.meta.url))).href,
            trivial,
          ],
          {},
        ),
    ]),
  ),
};
const chosen = values.modes.split(',');
for (const mode of chosen) if (!modes[mode]) throw new Error(`unknown mode ${mode}`);

/** Every thread of `pid`: its name, start (ticks since boot), CPU and context switches so far. */
function threads(pid) {
  const out = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const dir = `/proc/${pid}/task/${tid}`;
      const stat = readFileSync(`${dir}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const status = readFileSync(`${dir}/status`, 'utf8');
      const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
      out.set(Number(tid), {
        comm: readFileSync(`${dir}/comm`, 'utf8').trim(),
        start: Number(fields[19]),
        runNs: Number(readFileSync(`${dir}/schedstat`, 'utf8').split(' ')[0]),
        userMs: Number(fields[11]) * TICK_MS,
        systemMs: Number(fields[12]) * TICK_MS,
        voluntary: field('voluntary_ctxt_switches'),
        involuntary: field('nonvoluntary_ctxt_switches'),
      });
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

function processFacts(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const rss = /^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return { minorFaults: Number(fields[7]), rssKb: Number(rss ?? 0) };
}

/** `count` requests over `-c` connections (culprit bench, on this script's core). */
function load(url, count) {
  const paced = values.rate ? ['-q', values.rate] : [];
  const out = spawnSync(
    process.execPath,
    [culpritBin, 'bench', '-n', String(count), '-c', values.c, ...paced, '--json', url],
    {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  if (out.status !== 0) throw new Error(`culprit bench failed: ${out.stderr}`);
  const result = JSON.parse(out.stdout);
  return { rps: result.rps, requests: result.requests };
}

/** The server's collections so far (gc-tally.cjs writes them at SIGUSR2). */
async function gcTally(pid) {
  if (!gcDir) return undefined;
  const file = join(gcDir, `${pid}.json`);
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 200; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      // not written yet
    }
  }
  throw new Error('no GC tally from the server');
}

/** CPU (µs) of this process so far, and of its children it waited for (/proc ticks). */
function ownCpu() {
  const { user, system } = process.cpuUsage();
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { selfUs: user + system, childrenUs: (Number(fields[13]) + Number(fields[14])) * TICK_MS * 1000 };
}

/** Per-thread differences over one load run; a thread started meanwhile counts from zero. */
async function measured(server) {
  const processStart = Number(readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ')[19]);
  const gcBefore = await gcTally(server.pid);
  const before = threads(server.pid);
  const facts = processFacts(server.pid);
  const ownBefore = ownCpu();
  const started = performance.now();
  const run = load(server.url, requests);
  const seconds = (performance.now() - started) / 1000;
  const own = ownCpu();
  const after = threads(server.pid);
  const factsAfter = processFacts(server.pid);
  const gcAfter = await gcTally(server.pid);
  const zero = { runNs: 0, userMs: 0, systemMs: 0, voluntary: 0, involuntary: 0 };
  const rows = [];
  const seen = new Map();
  for (const [tid, now] of [...after].sort(([a], [b]) => a - b)) {
    const was = before.get(tid) ?? zero;
    // Node 20 names every thread "node": the start (ms after the process's) and the order tell them apart
    const kind = `${now.comm}+${(now.start - processStart) * TICK_MS}ms`;
    seen.set(kind, (seen.get(kind) ?? 0) + 1);
    rows.push({
      tid,
      name: tid === server.pid ? 'main' : `${kind}#${seen.get(kind)}`,
      late: now.start > server.readyTick,
      runNs: now.runNs - was.runNs,
      userMs: now.userMs - was.userMs,
      systemMs: now.systemMs - was.systemMs,
      voluntary: now.voluntary - was.voluntary,
      involuntary: now.involuntary - was.involuntary,
    });
  }
  const gone = [...before.keys()].filter((tid) => !after.has(tid)).length;
  return {
    rps: run.rps,
    seconds,
    // this script's process: in probe mode the CLI's side of the probe's connection
    selfUs: own.selfUs - ownBefore.selfUs,
    // the load generator's (a child this process waited for)
    loadUs: own.childrenUs - ownBefore.childrenUs,
    rows,
    gone,
    minorFaults: factsAfter.minorFaults - facts.minorFaults,
    gc: gcAfter && {
      minor: gcAfter.minor - gcBefore.minor,
      major: gcAfter.major + gcAfter.incremental - gcBefore.major - gcBefore.incremental,
      ms: gcAfter.ms - gcBefore.ms,
      heapMb: gcAfter.heapUsed / 2 ** 20,
    },
    rssKb: factsAfter.rssKb,
  };
}

/** The system calls of every thread of the server over `requests` requests (strace attached after the warm-up). */
async function syscalls(server) {
  const dir = mkdtempSync(join(tmpdir(), 'cpu-accounting-'));
  const file = join(dir, 'trace');
  const tracer = spawn('strace', ['-f', '-qq', '-o', file, '-p', String(server.pid)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise((resolve) => setTimeout(resolve, 1000)); // attached to every thread by then
  load(server.url, requests);
  await new Promise((resolve) => {
    tracer.once('exit', resolve);
    tracer.kill('SIGINT');
  });
  const byCall = new Map();
  const byThread = new Map();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^(\d+)\s+([a-z_0-9]+)\(/.exec(line) ?? /^(\d+)\s+<\.\.\. ([a-z_0-9]+) resumed>/.exec(line);
    if (!match || line.includes('resumed>')) continue; // a resumed call was counted at its start
    const [, tid, call] = match;
    byCall.set(call, (byCall.get(call) ?? 0) + 1);
    const key = Number(tid) === server.pid ? 'main' : 'other threads';
    byThread.set(key, (byThread.get(key) ?? 0) + 1);
  }
  rmSync(dir, { recursive: true, force: true });
  return { byCall, byThread };
}

log(`load average ${loadAverage()}; server: ${values.node} ${nodeArgs.join(' ')}`);
const results = Object.fromEntries(chosen.map((mode) => [mode, []]));
for (let round = 0; round < Number(values.rounds); round++) {
  for (const mode of chosen) {
    const server = await modes[mode]();
    try {
      load(server.url, Number(values.warmup));
      const value = values.strace ? await syscalls(server) : await measured(server);
      results[mode].push(value);
      if (!values.strace) {
        const main = value.rows.find((row) => row.name === 'main');
        const all = value.rows.reduce((sum, row) => sum + row.runNs, 0);
        log(
          `round ${round + 1} ${mode}: ${value.rps.toFixed(0)} req/s, ${(all / requests / 1000).toFixed(2)} µs/request all threads, main ${(main.runNs / requests / 1000).toFixed(2)}`,
        );
      } else log(`round ${round + 1} ${mode}: traced`);
    } finally {
      await server.close();
    }
  }
}
sink.close();
if (gcDir) rmSync(gcDir, { recursive: true, force: true });

const perRequest = (x) => (x / requests).toFixed(2);
console.log(
  `${requests} requests after ${values.warmup} of warm-up, -c ${values.c}, median of ${values.rounds} interleaved rounds; server ${values.node}${canPin ? ' on core 0' : ' (not pinned)'}; load average now ${loadAverage()}; ${(received / 1e6).toFixed(1)} MB exported`,
);
if (values.strace) {
  const calls = new Set(chosen.flatMap((mode) => results[mode].flatMap((r) => [...r.byCall.keys()])));
  console.log(
    `system calls per request (strace -f):\n${'call'.padEnd(24)}${chosen.map((m) => m.padStart(20)).join('')}`,
  );
  const row = (label, pick) =>
    console.log(
      `${label.padEnd(24)}${chosen.map((m) => perRequest(median(results[m].map(pick))).padStart(20)).join('')}`,
    );
  for (const call of [...calls].sort()) row(call, (r) => r.byCall.get(call) ?? 0);
  row('all, main thread', (r) => r.byThread.get('main') ?? 0);
  row('all, other threads', (r) => r.byThread.get('other threads') ?? 0);
} else {
  const sum = (rows, key, which) => rows.filter(which).reduce((s, row) => s + row[key], 0);
  const isMain = (row) => row.name === 'main';
  const isOther = (row) => row.name !== 'main';
  const metrics = [
    ['requests/s (wall clock)', (r) => r.rps, (x) => x.toFixed(0)],
    ['CPU µs/request, all threads', (r) => sum(r.rows, 'runNs', () => true) / 1000, perRequest],
    ['  main thread', (r) => sum(r.rows, 'runNs', isMain) / 1000, perRequest],
    ['    user (10 ms ticks)', (r) => sum(r.rows, 'userMs', isMain) * 1000, perRequest],
    ['    system', (r) => sum(r.rows, 'systemMs', isMain) * 1000, perRequest],
    ['  other threads', (r) => sum(r.rows, 'runNs', isOther) / 1000, perRequest],
    [
      'main thread CPU ms per second of wall',
      (r) => (sum(r.rows, 'runNs', isMain) / 1e6 / r.seconds) * requests,
      perRequest,
    ],
    [
      'other threads CPU ms per second of wall',
      (r) => (sum(r.rows, 'runNs', isOther) / 1e6 / r.seconds) * requests,
      perRequest,
    ],
    ['load generator (core 1) CPU µs/request', (r) => r.loadUs, perRequest],
    ['this script (core 1; the CLI side of the probe)', (r) => r.selfUs, perRequest],
    ['context switches/1000 req, main: voluntary', (r) => sum(r.rows, 'voluntary', isMain) * 1000, perRequest],
    ['  main: involuntary', (r) => sum(r.rows, 'involuntary', isMain) * 1000, perRequest],
    ['  other threads: voluntary', (r) => sum(r.rows, 'voluntary', isOther) * 1000, perRequest],
    ['  other threads: involuntary', (r) => sum(r.rows, 'involuntary', isOther) * 1000, perRequest],
    ['minor faults/1000 req', (r) => r.minorFaults * 1000, perRequest],
    ['RSS at the end, MB', (r) => r.rssKb / 1024, (x) => x.toFixed(1)],
  ];
  if (gcDir) {
    metrics.push(
      ['main thread GCs/1000 req: minor', (r) => r.gc.minor * 1000, perRequest],
      ['  major (and incremental marks)', (r) => r.gc.major * 1000, perRequest],
      ['  GC µs/request', (r) => r.gc.ms * 1000, perRequest],
      ['  heap used at the end, MB', (r) => r.gc.heapMb, (x) => x.toFixed(1)],
    );
  }
  console.log(`${'per request (median of rounds)'.padEnd(44)}${chosen.map((m) => m.padStart(20)).join('')}`);
  for (const [label, pick, show] of metrics) {
    console.log(`${label.padEnd(44)}${chosen.map((m) => show(median(results[m].map(pick))).padStart(20)).join('')}`);
  }
  // the spread: rounds of one mode, and each round's ratio to the plain server's round next to it
  const spreads = [
    ['requests/s', metrics[0][1]],
    ['CPU µs/request, all threads', (r) => metrics[1][1](r) / requests],
    ['CPU µs/request, main thread', (r) => metrics[2][1](r) / requests],
  ];
  console.log("\nspread over rounds: min–max, and the median [min–max] of each round's ratio to plain's");
  for (const [label, pick] of spreads) {
    const cells = chosen.map((mode) => {
      const xs = results[mode].map(pick);
      const range = `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;
      if (mode === chosen[0]) return range;
      const ratios = xs.map((x, i) => x / pick(results[chosen[0]][i]));
      return `${range} ${median(ratios).toFixed(2)}× [${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}]`;
    });
    console.log(`  ${label}: ${chosen.map((mode, i) => `${mode} ${cells[i]}`).join('; ')}`);
  }
  // threads that started after the server listened: culprit's export worker (register), its helpers
  console.log('\nCPU µs/request by kind of thread (median of rounds):');
  for (const mode of chosen) {
    const kinds = { main: [], 'started with the process': [], 'started after listening': [] };
    for (const r of results[mode]) {
      const sumOf = (which) => r.rows.filter(which).reduce((s, row) => s + row.runNs, 0) / 1000 / requests;
      kinds.main.push(sumOf((row) => row.name === 'main'));
      kinds['started with the process'].push(sumOf((row) => row.name !== 'main' && !row.late));
      kinds['started after listening'].push(sumOf((row) => row.late));
    }
    console.log(
      `  ${mode}: ${Object.entries(kinds)
        .map(([kind, xs]) => `${kind} ${median(xs).toFixed(2)}`)
        .join(', ')}`,
    );
  }
}
