#!/usr/bin/env node
// What `culprit watch` costs ephemera per request in instructions (valgrind's callgrind), which load does
// not move: at a loaded machine's ±10% per round the wall-clock bench (overhead.mjs) cannot settle 5%.
// The server runs under callgrind, plain or as `culprit watch -- valgrind … node ephemera serve` (the CLI
// runs outside valgrind; the probe rides NODE_OPTIONS into the server), answers SMALL then (in another run)
// LARGE requests over ephemera's clean endpoints after the same start; (LARGE − SMALL) / (their difference)
// leaves start-up and shutdown out (bench/callgrind.mjs). Counts are the main thread's and the process's.
//   node bench/watch/instructions.mjs [--detail none|first|all|default] [--small 100] [--large 500] [--before DIR]
//     [--jobs 2] [--items 10000] [--threads] [--keep DIR] [--no-steady]
// --detail: which requests watch records in full. Its sampler is timed (the first 10 per route, then one per
// 500 ms per route): under valgrind's few requests a second that is every other request, where a server at
// 1,000 a second has ~0.6% detailed. So the two paths are priced apart (CULPRIT_WATCH_SAMPLE): `none` (the
// default) counts every request, the path nearly all requests take; `first` the same after one request per
// route in full at the start (what the sample leaves behind: a storage it enabled); `all` records every one.
// By default V8 runs as bench/callgrind.mjs's STEADY flags make it (one thread, a fixed young generation, no
// memory reducer, fixed seeds) and its compilers' instructions are left out (COMPILERS): what is counted is
// the code's execution, so two runs of one build agree within ~1%. --no-steady: V8's defaults, compilers in.
// --before DIR: another build's watch (a copy of packages/culprit with its dist/ and node_modules links).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { COMPILERS, inParallel, STEADY, valgrindAvailable } from '../callgrind.mjs';
import { descendants } from '../probe/pin.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({
  options: {
    small: { type: 'string', default: '100' },
    large: { type: 'string', default: '500' },
    before: { type: 'string' },
    jobs: { type: 'string', default: '2' },
    items: { type: 'string', default: '10000' },
    threads: { type: 'boolean', default: false },
    keep: { type: 'string' },
    'no-steady': { type: 'boolean', default: false },
    only: { type: 'string' },
    detail: { type: 'string', default: 'none' },
  },
});
if (!valgrindAvailable()) {
  console.log('valgrind is not installed: nothing measured');
  process.exit(0);
}
const sampleKnob = { none: '0,1e9', first: '1,1e9', all: '1e9,0', default: undefined }[values.detail];
if (!(values.detail in { none: 1, first: 1, all: 1, default: 1 })) throw new Error('--detail none|first|all|default');
const small = Number(values.small);
const large = Number(values.large);
const steady = !values['no-steady'];
const ephemera = join(root, 'packages/ephemera/dist/cli.js');
const db = join(root, `packages/ephemera/.data/bench-${values.items}.sqlite`);
if (!existsSync(db)) throw new Error(`${db} missing: run bench/watch/overhead.mjs once (it seeds it)`);
// the clean endpoints, as overhead.mjs sends them
const paths = ['/api/ephemera/1337/?img=2&expand=~all', '/api/ephemera/?page_size=20', '/api/ephemera/42/'];
const modes = { plain: undefined, 'culprit watch': join(root, 'packages/culprit/bin/culprit.js') };
if (values.before) modes['watch (before)'] = join(values.before, 'bin/culprit.js');
// --only MODE: plain and that one
if (values.only)
  for (const mode of Object.keys(modes)) if (mode !== 'plain' && mode !== values.only) delete modes[mode];
let nextPort = 9400 + Math.floor(Math.random() * 400);

function getOnce(agent, port, path) {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ agent, host: '127.0.0.1', port, path }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    });
    req.on('error', reject);
    req.end();
  });
}

// a keep-alive socket the slowed server closes as it is reused: sent again on a new one
async function get(agent, port, path) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await getOnce(agent, port, path);
    } catch (error) {
      if (error.code !== 'ECONNRESET' || attempt >= 3) throw error;
    }
  }
}

/** Polls until the server answers (refused connections cost the server nothing). */
async function answering(port, child) {
  const agent = new Agent({ keepAlive: false });
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`exited (${child.exitCode}) before answering`);
    const status = await getOnce(agent, port, '/api/ephemera/1/').catch(() => 0);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the server never answered');
}

/** Resolves once `culprit watch` says it records every request. */
async function recording(child, stderr) {
  for (let i = 0; i < 2400; i++) {
    if (stderr().includes('culprit watch: recording every request')) return;
    if (child.exitCode !== null) throw new Error(`exited (${child.exitCode}) before recording`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('culprit watch never started recording');
}

/** Instructions of the server answering `count` requests (4 keep-alive connections), per callgrind thread. */
async function run(mode, count) {
  const dir = mkdtempSync(join(tmpdir(), 'culprit-watch-instructions-'));
  const port = nextPort++;
  const server = [
    'valgrind',
    '--tool=callgrind',
    '--separate-threads=yes',
    `--callgrind-out-file=${join(dir, 'callgrind.out')}`,
    ...(steady ? [...COMPILERS.map((name) => `--toggle-collect=${name}`), '--collect-atstart=yes'] : []),
    process.execPath,
    ...(steady ? STEADY : ['--random-seed=42']),
    ephemera,
    'serve',
    '--port',
    String(port),
    '--db',
    db,
  ];
  const cli = modes[mode];
  const argv = cli
    ? [
        process.execPath,
        cli,
        'watch',
        '--save',
        join(dir, 'capture.json'),
        '--ready-timeout',
        '600',
        '--duration',
        '3600',
        '--',
        ...server,
      ]
    : server;
  const env = sampleKnob === undefined ? process.env : { ...process.env, CULPRIT_WATCH_SAMPLE: sampleKnob };
  const child = spawn(argv[0], argv.slice(1), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  const closed = new Promise((resolve) => child.once('close', resolve));
  try {
    // the server may answer before the CLI has switched its probe to counting (a loaded machine): the
    // CLI's line says it has (it prints none under --json, hence --save)
    if (cli) await recording(child, () => stderr);
    await answering(port, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${mode}: ${error.message}: ${stderr.slice(-600)}`);
  }
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < count) await get(agent, port, paths[next++ % paths.length]);
    }),
  );
  agent.destroy();
  // watch's last rows go out within 250 ms; the server is stopped here, not by the CLI, whose SIGKILL after
  // a short grace would cut valgrind's dump: the CLI sees its target exit and reports
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const serverPid = cli ? descendants(child.pid)[0] : child.pid;
  process.kill(serverPid, 'SIGTERM');
  await closed;
  let counted;
  let detailed;
  if (cli) {
    let capture;
    try {
      capture = JSON.parse(readFileSync(join(dir, 'capture.json'), 'utf8'));
    } catch {
      const own = stderr
        .split('\n')
        .filter((line) => !line.startsWith('=='))
        .join('\n');
      throw new Error(`${mode}: no capture on stdout (${stdout.slice(0, 200)}): ${own.slice(-1500)}`);
    }
    counted = capture.watch.routes.reduce((sum, route) => sum + route.count, 0);
    detailed = capture.watch.routes.reduce((sum, route) => sum + (route.detailed ?? 0), 0);
  }
  const totals = {};
  for (const name of readdirSync(dir)) {
    const total = /^(?:totals|summary): (\d+)/m.exec(readFileSync(join(dir, name), 'utf8'));
    if (total) totals[Number(/-(\d+)$/.exec(name)?.[1] ?? 1)] = Number(total[1]);
  }
  if (values.keep) {
    const kept = join(values.keep, `${mode.replace(/\W+/g, '_')}-${count}`);
    mkdirSync(kept, { recursive: true });
    cpSync(dir, kept, { recursive: true });
  }
  rmSync(dir, { recursive: true, force: true });
  if (Object.keys(totals).length === 0) throw new Error(`${mode}: no callgrind totals: ${stderr.slice(-600)}`);
  return { byThread: totals, counted, detailed };
}

const tasks = [];
for (const mode of Object.keys(modes)) {
  for (const count of [small, large]) tasks.push(async () => ({ mode, count, ...(await run(mode, count)) }));
}
const results = await inParallel(tasks, Number(values.jobs));

const per = {};
for (const mode of Object.keys(modes)) {
  const [few, many] = [small, large].map((count) => results.find((r) => r.mode === mode && r.count === count));
  const ids = [...new Set([...Object.keys(few.byThread), ...Object.keys(many.byThread)])].sort((a, b) => a - b);
  const perThread = Object.fromEntries(
    ids.map((id) => [id, ((many.byThread[id] ?? 0) - (few.byThread[id] ?? 0)) / (large - small) / 1000]),
  );
  per[mode] = { all: Object.values(perThread).reduce((sum, n) => sum + n, 0), main: perThread[1] };
  if (values.threads) {
    const cells = ids.map((id) => `${id}: ${perThread[id].toFixed(1)}`);
    console.log(`${mode} per thread (thousands per request) ${cells.join('  ')}`);
  }
  if (few.counted !== undefined)
    console.log(
      `${mode}: watch counted ${few.counted} and ${many.counted} requests (${small} and ${large} sent, and the readiness poll's), ${few.detailed} and ${many.detailed} in full`,
    );
}
const plain = per.plain;
console.log(
  `culprit watch, thousands of instructions per request (callgrind, ephemera, (${large} − ${small} requests), detail ${values.detail}${steady ? ', steady V8, compilers left out' : ''})`,
);
console.log(`${'mode'.padEnd(16)} ${'process'.padStart(9)}  ratio  ${'main thread'.padStart(11)}  ratio`);
for (const [mode, r] of Object.entries(per)) {
  console.log(
    `${mode.padEnd(16)} ${r.all.toFixed(1).padStart(9)}  ${(r.all / plain.all).toFixed(2)}×  ${r.main.toFixed(1).padStart(11)}  ${(r.main / plain.main).toFixed(2)}×`,
  );
}
