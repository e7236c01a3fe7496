#!/usr/bin/env node
// What `node --import culprit/register` costs an app in production (issue 13):
// the same servers run plain and with the preload, interleaved round by round,
// against a collector and a Pyroscope endpoint of this script's own (answering
// 200 at once, so only the app's side is measured).
// - trivial server (node:http, "ok"): the most requests/s a closed loop of 16
//   connections gets, and the server's CPU per request;
// - ephemera's clean endpoints at a fixed rate: the server's CPU per second and per request;
// - start: milliseconds from spawn to "listening" of the trivial server.
// Server pinned to core 0, load to core 1 (bench/probe/pin.mjs).
// CPU is read for the whole process and for its main thread alone (the app's thread; the rest is culprit's
// export worker, which diagnoses and encodes the sampled requests on another core when there is one).
//   node bench/register/overhead.mjs [--rate 1000] [--seconds 6] [--rounds 3] [--items 10000] [--only trivial|ephemera] [--before DIR] [--no-pyroscope] [--warmup-seconds S]
// --before DIR: also runs another build's preload in the same rounds (a copy of packages/culprit with its
// dist/), so a before/after is one run; --no-pyroscope leaves the Pyroscope mode out.
// --warmup-seconds: the trivial server's warm-up before each measured round (default: --seconds).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { canPin, onCore, pinSelf, processCpuMs } from '../probe/pin.mjs';

pinSelf(1);
const root = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '6' },
    // register's recorded path and export worker are compiled by V8 in the first minute or so (20 recorded a
    // second): a short warm-up prices that one-time JIT work into every round (bench/register/README.md, wallgap)
    'warmup-seconds': { type: 'string' },
    rounds: { type: 'string', default: '3' },
    items: { type: 'string', default: '10000' },
    only: { type: 'string' },
    before: { type: 'string' },
    'no-pyroscope': { type: 'boolean', default: false },
  },
});
const culprit = join(root, 'packages/culprit/bin/culprit.js');
const ephemera = join(root, 'packages/ephemera/dist/cli.js');
const trivial = fileURLToPath(new URL('trivial-server.mjs', import.meta.url));
const log = (line) => process.stderr.write(`${line}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const clean = ['/api/ephemera/1337/?img=2&expand=~all', '/api/ephemera/?page_size=20', '/api/ephemera/42/'];

// the collector and Pyroscope: accept everything at once
let received = 0;
const sink = createServer((request, response) => {
  request.on('data', (chunk) => {
    received += chunk.length;
  });
  request.on('end', () => response.writeHead(200).end());
});
await new Promise((resolve) => sink.listen(0, '127.0.0.1', resolve));
const sinkUrl = `http://127.0.0.1:${sink.address().port}`;
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const loadAtStart = loadAverage();

const modes = {
  plain: { args: [], env: {} },
  'register (OTLP, 10% sampled)': {
    args: ['--import', 'culprit/register'],
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl, CULPRIT_SAMPLE_RATE: '0.1' },
  },
  'register + Pyroscope': {
    args: ['--import', 'culprit/register'],
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl, CULPRIT_SAMPLE_RATE: '0.1', CULPRIT_PYROSCOPE_URL: sinkUrl },
  },
};
if (values['no-pyroscope']) delete modes['register + Pyroscope'];
if (values.before) {
  modes['register (before)'] = {
    args: ['--import', pathToFileURL(join(values.before, 'dist/register/index.js')).href],
    env: modes['register (OTLP, 10% sampled)'].env,
  };
}

function archive() {
  const dir = join(root, 'packages/ephemera/.data');
  const file = join(dir, `bench-${values.items}.sqlite`);
  if (existsSync(file) && existsSync(`${file}.done`)) return file;
  mkdirSync(dir, { recursive: true });
  log(`seeding ${values.items} items into ${file} …`);
  const seeded = spawnSync(process.execPath, [ephemera, 'seed', '--count', values.items, '--db', file], {
    stdio: 'inherit',
  });
  if (seeded.status !== 0) throw new Error('seeding failed');
  spawnSync('touch', [`${file}.done`]);
  return file;
}

/** Starts a server under `mode`; resolves once it answers, with its pid and how long that took. */
async function start(mode, command, readyPath) {
  const { args, env } = modes[mode];
  const started = performance.now();
  const argv = onCore(0, [process.execPath, ...args, ...command]);
  const child = spawn(argv[0], argv.slice(1), {
    cwd: root,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (\d+)|(?:http:\/\/)?(?:127\.0\.0\.1|localhost):(\d+)/.exec(out);
      if (match) resolve(Number(match[1] ?? match[2]));
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${out}`)));
  });
  const startMs = performance.now() - started;
  const base = `http://127.0.0.1:${port}`;
  for (
    let i = 0;
    i < 600 &&
    !(await fetch(base + readyPath).then(
      (r) => r.ok,
      () => false,
    ));
    i++
  ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // the server's own pid: taskset execs it, so the child is the server
  return {
    base,
    pid: child.pid,
    startMs,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGKILL');
      }),
  };
}

function bench(args) {
  return new Promise((resolve, reject) => {
    const run = spawn(process.execPath, [culprit, 'bench', '--json', ...args]);
    let out = '';
    run.stdout.on('data', (chunk) => {
      out += chunk;
    });
    run.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`bench exit ${code}`))));
  });
}

/** CPU time (ms) of the process's main thread alone: the app's thread, without culprit's export worker. */
function mainThreadCpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Runs `load()` and reads the server's CPU around it (the whole process, and its main thread). */
async function measured(pid, load) {
  const before = processCpuMs(pid);
  const beforeMain = mainThreadCpuMs(pid);
  const started = performance.now();
  const reports = await load();
  const seconds = (performance.now() - started) / 1000;
  const cpuMs = processCpuMs(pid) - before;
  const mainMs = mainThreadCpuMs(pid) - beforeMain;
  const requests = reports.reduce((sum, r) => sum + r.requests, 0);
  return {
    rps: requests / seconds,
    cpuPct: cpuMs / seconds / 10,
    cpuUs: (cpuMs * 1000) / requests,
    mainUs: (mainMs * 1000) / requests,
  };
}

const warmupSeconds = values['warmup-seconds'] ?? values.seconds;
const closedLoop =
  (base, seconds = values.seconds) =>
  () =>
    Promise.all([bench(['-z', `${seconds}s`, '-c', '16', `${base}/`])]);
const fixedRate = (base) => () =>
  Promise.all(
    clean.map((path) =>
      bench([
        '-z',
        `${values.seconds}s`,
        '-q',
        String(Number(values.rate) / clean.length),
        '-c',
        '6',
        `${base}${path}`,
      ]),
    ),
  );

const db = archive();
const results = Object.fromEntries(Object.keys(modes).map((mode) => [mode, { trivial: [], ephemera: [], start: [] }]));
for (let round = 0; round < Number(values.rounds); round++) {
  for (const mode of Object.keys(modes)) {
    if (values.only !== 'ephemera') {
      const small = await start(mode, [trivial], '/');
      try {
        await measured(small.pid, closedLoop(small.base, warmupSeconds)); // warm-up
        const value = await measured(small.pid, closedLoop(small.base));
        results[mode].trivial.push(value);
        results[mode].start.push(small.startMs);
        log(
          `round ${round + 1} ${mode}, trivial: ${value.rps.toFixed(0)} req/s, ${value.cpuUs.toFixed(1)} µs CPU/request (main thread ${value.mainUs.toFixed(1)}), start ${small.startMs.toFixed(0)} ms`,
        );
      } finally {
        await small.stop();
      }
    }
    if (values.only === 'trivial') continue;
    const app = await start(mode, [ephemera, 'serve', '--port', '0', '--db', db], '/api/ephemera/1/');
    try {
      await measured(app.pid, fixedRate(app.base)); // warm-up
      const value = await measured(app.pid, fixedRate(app.base));
      results[mode].ephemera.push(value);
      log(
        `round ${round + 1} ${mode}, ephemera: ${value.rps.toFixed(0)} req/s, CPU ${value.cpuPct.toFixed(1)}% of a core, ${value.cpuUs.toFixed(0)} µs/request (main thread ${value.mainUs.toFixed(0)})`,
      );
    } finally {
      await app.stop();
    }
  }
}
sink.close();

const base = results.plain;
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
console.log(
  `culprit/register overhead, median of ${values.rounds} interleaved rounds × ${values.seconds} s; server on core 0${canPin ? '' : ' (not pinned)'}; ${(received / 1e6).toFixed(1)} MB exported in all; load average ${loadAtStart} → ${loadAverage()}`,
);
console.log(
  `${'mode'.padEnd(30)} trivial req/s  ratio  µs CPU/req  ratio  main thread  ratio   ephemera CPU % @${values.rate}/s  ratio  µs/req  ratio  main thread  ratio   start ms`,
);
for (const [mode, r] of Object.entries(results)) {
  // a part left out with --only shows as NaN
  const of = (xs) => (xs.length > 0 ? median(xs) : Number.NaN);
  const pick = (list) => ({
    rps: of(list.map((x) => x.rps)),
    pct: of(list.map((x) => x.cpuPct)),
    us: of(list.map((x) => x.cpuUs)),
    main: of(list.map((x) => x.mainUs)),
  });
  const [t, e, bt, be] = [pick(r.trivial), pick(r.ephemera), pick(base.trivial), pick(base.ephemera)];
  console.log(
    `${mode.padEnd(30)} ${t.rps.toFixed(0).padStart(13)}  ${ratio(t.rps, bt.rps)}  ${t.us.toFixed(1).padStart(10)}  ${ratio(t.us, bt.us)}  ${t.main.toFixed(1).padStart(11)}  ${ratio(t.main, bt.main)}   ${e.pct.toFixed(1).padStart(22)}  ${ratio(e.pct, be.pct)}  ${e.us.toFixed(0).padStart(6)}  ${ratio(e.us, be.us)}  ${e.main.toFixed(0).padStart(11)}  ${ratio(e.main, be.main)}   ${of(r.start).toFixed(0).padStart(8)}`,
  );
}
