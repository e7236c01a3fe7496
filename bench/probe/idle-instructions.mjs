#!/usr/bin/env node
// What an idle probe costs a trivial server per request, in instructions (valgrind's callgrind), which load
// does not move: idle.mjs's requests/s moves by more than the 5% issue 15 allows from one round to the next
// on this shared machine. app.mjs (`GET /`, a two-byte answer) runs under callgrind plain, and with the probe
// preloaded and connected as culprit's command mode opens a target (openTarget): idle (every recording off)
// and tracing queries (scopes on). Each answers WARMUP requests culprit did not send (4 keep-alive
// connections), then callgrind's counters are zeroed (`callgrind_control -z`), it answers COUNT more and
// they are dumped (`-d`): start-up, the warm-up and shutdown are left out. V8 runs with bench/callgrind.mjs's
// STEADY flags and its compilers' instructions are left out (COMPILERS), so that runs of one build agree.
//   node bench/probe/idle-instructions.mjs [--warmup 12000] [--count 3000] [--modes idle,queries] [--jobs 2]
//     [--before DIR] [--keep DIR] [--all-threads] [--node PATH]
// --modes also takes register (culprit/register, 10% sampled, at most 20 a second as in production),
// register-unsampled (rate 0) and register-1pct (1% recorded, no limit: the cost of a recorded request is
// (register-1pct − register-unsampled) / 0.01).
// --all-threads: V8 as it runs natively (no STEADY flags, its compilers and GC threads counted), every thread
// of the process summed (callgrind --separate-threads=yes) and the main thread apart: what instructions can
// say of the work an idle probe or register adds off the app's thread. --node: the server's Node binary.
// --before DIR: the same modes again for another build (a copy of packages/culprit with its dist/).
// --preload A.cjs,B.cjs: the plain server again with each file `--require`d (what a bare channel subscriber
// or wrapper costs, beside the probe's). --keep DIR: callgrind's files, for callgrind_annotate; with --names
// node runs with --perf-basic-prof and its /tmp/perf-PID.map is kept beside them (callgrind names JIT code
// by address only; bench/probe/jit-names.py puts the functions' names on a diff of two files).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { COMPILERS, inParallel, STEADY, valgrindAvailable } from '../callgrind.mjs';
import { descendants } from './pin.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const { values } = parseArgs({
  options: {
    warmup: { type: 'string', default: '12000' },
    count: { type: 'string', default: '3000' },
    modes: { type: 'string', default: 'idle,queries' },
    jobs: { type: 'string', default: '2' },
    before: { type: 'string' },
    preload: { type: 'string' },
    keep: { type: 'string' },
    names: { type: 'boolean', default: false },
    'all-threads': { type: 'boolean', default: false },
    node: { type: 'string', default: process.execPath },
  },
});
if (!valgrindAvailable()) {
  console.log('valgrind is not installed: nothing measured');
  process.exit(0);
}
const warmup = Number(values.warmup);
const count = Number(values.count);
const app = join(here, 'app.mjs');
const allThreads = values['all-threads'];
const configs = {
  idle: undefined,
  queries: { queries: true, constructions: false, stacks: false },
};
/** culprit/register's modes: the environment each runs with (the collector is this script's sink). */
const registers = {
  register: { CULPRIT_SAMPLE_RATE: '0.1' },
  'register-unsampled': { CULPRIT_SAMPLE_RATE: '0' },
  'register-1pct': { CULPRIT_SAMPLE_RATE: '0.01', CULPRIT_SAMPLE_MAX_PER_SECOND: '0' },
};
const builds = { '': join(here, '../../packages/culprit') };
if (values.before) builds[' (before)'] = values.before;
const modes = { plain: null };
for (const [suffix, culprit] of Object.entries(builds)) {
  for (const name of values.modes.split(',')) {
    if (name in registers) modes[`${name}${suffix}`] = { culprit, register: registers[name] };
    else if (name in configs) modes[`${name}${suffix}`] = { culprit, config: configs[name] };
    else throw new Error(`--modes: ${name}? (${[...Object.keys(configs), ...Object.keys(registers)].join(', ')})`);
  }
}
for (const file of values.preload?.split(',') ?? []) modes[`--require ${basename(file)}`] = { preload: resolve(file) };
let nextPort = 9800 + Math.floor(Math.random() * 150);

// register's collector: answers everything at once
const sink = createServer((request, response) => {
  request.resume();
  request.on('end', () => response.writeHead(200).end());
});
await new Promise((resolve) => sink.listen(0, '127.0.0.1', resolve));
sink.unref();

function getOnce(agent, port) {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ agent, host: '127.0.0.1', port, path: '/' }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Polls until the server answers (a refused connection costs the server nothing). */
async function answering(port) {
  const agent = new Agent({ keepAlive: false });
  for (let i = 0; i < 2400; i++) {
    if ((await getOnce(agent, port).catch(() => 0)) === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the server never answered');
}

/** `count` GETs of `/` over 4 keep-alive connections. */
async function load(port, count) {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next++ < count) await getOnce(agent, port);
    }),
  );
  agent.destroy();
}

/** callgrind's total, read from the file it wrote at a dump. */
function totalOf(file) {
  const total = /^(?:totals|summary):\s*(\d+)/m.exec(readFileSync(file, 'utf8'));
  if (!total) throw new Error(`no totals in ${file}`);
  return Number(total[1]);
}

/** The first dump's totals: the process's (every thread's file summed) and its main thread's. */
function dumpTotals(dir) {
  if (!allThreads) {
    const total = totalOf(join(dir, 'callgrind.out.1'));
    return { all: total, main: total, files: ['callgrind.out.1'] };
  }
  // --separate-threads=yes: callgrind.out.1-01 is the main thread, -02… the others in start order
  const files = readdirSync(dir).filter((name) => /^callgrind\.out\.1-\d+$/.test(name));
  const totals = files.map((name) => totalOf(join(dir, name)));
  return {
    all: totals.reduce((sum, n) => sum + n, 0),
    main: totals[files.findIndex((name) => name.endsWith('-01'))],
    files,
  };
}

function callgrindControl(flag, pid) {
  const out = spawnSync('callgrind_control', [flag, String(pid)], { encoding: 'utf8' });
  if (out.status !== 0 || !/OK/.test(out.stdout))
    throw new Error(`callgrind_control ${flag}: ${out.stdout}${out.stderr}`);
}

/** The pid of the process that runs app.mjs on `port` under valgrind (runs overlap: told apart by PORT). */
function serverPid(port) {
  const pid = descendants(process.pid).find((candidate) => {
    try {
      return (
        readFileSync(`/proc/${candidate}/cmdline`, 'utf8').includes('app.mjs') &&
        readFileSync(`/proc/${candidate}/environ`, 'utf8').split('\0').includes(`PORT=${port}`)
      );
    } catch {
      return false;
    }
  });
  if (pid === undefined) throw new Error('no server process');
  return pid;
}

/** Instructions of the server answering `count` requests after `warmup`, in `mode`. */
async function run(modeName) {
  const mode = modes[modeName];
  const dir = mkdtempSync(join(tmpdir(), 'culprit-idle-instructions-'));
  const outFile = join(dir, 'callgrind.out');
  const port = nextPort++;
  const command = [
    'valgrind',
    '--tool=callgrind',
    `--callgrind-out-file=${outFile}`,
    ...(allThreads
      ? ['--separate-threads=yes']
      : [...COMPILERS.map((name) => `--toggle-collect=${name}`), '--collect-atstart=yes']),
    values.node,
    ...(allThreads ? ['--random-seed=1', '--hash-seed=1'] : STEADY),
    ...(values.names ? ['--perf-basic-prof'] : []),
    ...(mode?.register ? ['--import', pathToFileURL(join(mode.culprit, 'dist/register/index.js')).href] : []),
    app,
  ];
  // on Node 20 a CA file parsed at start is ~400 M instructions: left out, as startup.mjs does
  const { NODE_EXTRA_CA_CERTS: _, ...base } = process.env;
  const env = {
    ...base,
    PORT: String(port),
    ...(mode?.register
      ? { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sink.address().port}`, ...mode.register }
      : {}),
  };
  let pid;
  const measure = async () => {
    await answering(port);
    await load(port, warmup);
    const pid = serverPid(port);
    callgrindControl('-z', pid);
    await load(port, count);
    callgrindControl('-d', pid);
    return pid;
  };
  if (mode === null || mode.preload || mode.register) {
    const args = mode?.preload ? [...command.slice(1, -1), '--require', mode.preload, app] : command.slice(1);
    const child = spawn(command[0], args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const closed = new Promise((resolve) => child.once('close', resolve));
    try {
      pid = await measure();
    } finally {
      child.kill('SIGINT');
      await closed;
    }
  } else {
    const { openTarget } = await import(pathToFileURL(join(mode.culprit, 'dist/target/open-target.js')).href);
    const target = await openTarget({ mode: 'command', command, cwd: here, env, readyTimeoutMs: 600_000 });
    try {
      if (mode.config) await target.probe.configureTrace(mode.config);
      pid = await measure();
    } finally {
      await target.close();
    }
  }
  const { all: total, main, files } = dumpTotals(dir);
  if (values.keep) {
    mkdirSync(values.keep, { recursive: true });
    const name = modeName.replace(/\W+/g, '_');
    for (const file of files) {
      const thread = allThreads ? `.${file.replace('callgrind.out.1-', '')}` : '';
      cpSync(join(dir, file), join(values.keep, `${name}${thread}.out`));
    }
    if (values.names) cpSync(`/tmp/perf-${pid}.map`, join(values.keep, `${name}.map`));
  }
  if (values.names) rmSync(`/tmp/perf-${pid}.map`, { force: true });
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write(
    `${modeName}: ${(total / 1e6).toFixed(1)} M for ${count} requests${allThreads ? ` (main thread ${(main / 1e6).toFixed(1)} M, ${files.length} threads)` : ''}\n`,
  );
  return { all: total / count, main: main / count };
}

const names = Object.keys(modes);
const perRequest = await inParallel(
  names.map((name) => () => run(name)),
  Number(values.jobs),
);
const plain = perRequest[0];
console.log(
  `instructions per request of a trivial server (app.mjs GET /; callgrind, whole process, ${count} requests after ${warmup}, ${allThreads ? 'V8 as it runs natively, every thread counted (compilers, GC)' : 'steady V8, compilers left out'}; Node ${nodeVersion()})`,
);
console.log(
  `${'mode'.padEnd(24)} ${'per request'.padStart(12)}  ${'added'.padStart(8)}  ratio${allThreads ? `  ${'main thread'.padStart(12)}  ${'added'.padStart(8)}  ${'other threads'.padStart(13)}  ${'added'.padStart(8)}` : ''}`,
);
const signed = (n) => `${n >= 0 ? '+' : ''}${n.toFixed(0)}`;
names.forEach((name, i) => {
  const { all, main } = perRequest[i];
  const cells = [
    name.padEnd(24),
    all.toFixed(0).padStart(12),
    (i === 0 ? '' : signed(all - plain.all)).padStart(8),
    `${(all / plain.all).toFixed(3)}×`,
  ];
  if (allThreads) {
    cells.push(
      main.toFixed(0).padStart(12),
      (i === 0 ? '' : signed(main - plain.main)).padStart(8),
      (all - main).toFixed(0).padStart(13),
      (i === 0 ? '' : signed(all - main - (plain.all - plain.main))).padStart(8),
    );
  }
  console.log(cells.join('  '));
});

function nodeVersion() {
  return spawnSync(values.node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
}
