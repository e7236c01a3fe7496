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
//     [--before DIR] [--keep DIR]
// --before DIR: the same modes again for another build (a copy of packages/culprit with its dist/).
// --preload A.cjs,B.cjs: the plain server again with each file `--require`d (what a bare channel subscriber
// or wrapper costs, beside the probe's). --keep DIR: callgrind's files, for callgrind_annotate; with --names
// node runs with --perf-basic-prof and its /tmp/perf-PID.map is kept beside them (callgrind names JIT code
// by address only; bench/probe/jit-names.py puts the functions' names on a diff of two files).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
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
  },
});
if (!valgrindAvailable()) {
  console.log('valgrind is not installed: nothing measured');
  process.exit(0);
}
const warmup = Number(values.warmup);
const count = Number(values.count);
const app = join(here, 'app.mjs');
const configs = {
  idle: undefined,
  queries: { queries: true, constructions: false, stacks: false },
};
const builds = { '': join(here, '../../packages/culprit') };
if (values.before) builds[' (before)'] = values.before;
const modes = { plain: null };
for (const [suffix, culprit] of Object.entries(builds)) {
  for (const name of values.modes.split(',')) {
    if (!(name in configs)) throw new Error(`--modes: ${name}? (${Object.keys(configs).join(', ')})`);
    modes[`${name}${suffix}`] = { culprit, config: configs[name] };
  }
}
for (const file of values.preload?.split(',') ?? []) modes[`--require ${basename(file)}`] = { preload: resolve(file) };
let nextPort = 9800 + Math.floor(Math.random() * 150);

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
    ...COMPILERS.map((name) => `--toggle-collect=${name}`),
    '--collect-atstart=yes',
    process.execPath,
    ...STEADY,
    ...(values.names ? ['--perf-basic-prof'] : []),
    app,
  ];
  // on Node 20 a CA file parsed at start is ~400 M instructions: left out, as startup.mjs does
  const { NODE_EXTRA_CA_CERTS: _, ...base } = process.env;
  const env = { ...base, PORT: String(port) };
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
  if (mode === null || mode.preload) {
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
  const dumped = `${outFile}.1`;
  const total = totalOf(dumped);
  if (values.keep) {
    mkdirSync(values.keep, { recursive: true });
    const name = modeName.replace(/\W+/g, '_');
    cpSync(dumped, join(values.keep, `${name}.out`));
    if (values.names) cpSync(`/tmp/perf-${pid}.map`, join(values.keep, `${name}.map`));
  }
  if (values.names) rmSync(`/tmp/perf-${pid}.map`, { force: true });
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`${modeName}: ${(total / 1e6).toFixed(1)} M for ${count} requests\n`);
  return total / count;
}

const names = Object.keys(modes);
const perRequest = await inParallel(
  names.map((name) => () => run(name)),
  Number(values.jobs),
);
const plain = perRequest[0];
console.log(
  `instructions per request of a trivial server (app.mjs GET /; callgrind, whole process, ${count} requests after ${warmup}, steady V8, compilers left out; Node ${process.versions.node})`,
);
console.log(`${'mode'.padEnd(20)} ${'per request'.padStart(12)}  ${'added'.padStart(8)}  ratio`);
names.forEach((name, i) => {
  const added = perRequest[i] - plain;
  console.log(
    `${name.padEnd(20)} ${perRequest[i].toFixed(0).padStart(12)}  ${i === 0 ? ''.padStart(8) : `${added >= 0 ? '+' : ''}${added.toFixed(0)}`.padStart(8)}  ${(perRequest[i] / plain).toFixed(3)}×`,
  );
});
