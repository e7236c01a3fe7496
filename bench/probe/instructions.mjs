#!/usr/bin/env node
// What the timing pass of `culprit profile URL -- node app.mjs` costs the
// server per request, in instructions (valgrind's callgrind): a count that
// load does not move, where overhead.mjs's CPU per request moves by ±6% from
// one round to the next on this shared 2-core machine. Three servers run the
// routes of app.mjs under callgrind: unprofiled, `node --cpu-prof`, and the
// probe preloaded as culprit starts a command, driven through culprit's own
// target module exactly as `gatherProfile` drives it (profiler started,
// warm-up, profile window, timed requests held, profile stopped). Each runs
// SMALL and then LARGE timed requests after the same warm-up; (LARGE − SMALL)
// ÷ their difference leaves start-up and warm-up out. All threads count (the
// profiler's too).
//
// Under callgrind the server runs ~50× slower while the profilers sample by
// wall time, so both sample every `--interval` µs (default 50,000): about as
// many samples per request as 1 ms gives at native speed. `/json` only by
// default: `/timer` burns CPU until 2 ms of wall time have passed, and under
// callgrind's slowdown that is fewer loop turns, so its count says nothing.
//   node bench/probe/instructions.mjs [--routes /json] [--interval 50000] [--small 20] [--large 120]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { failureLine, valgrindAvailable } from '../callgrind.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../..');
const { values } = parseArgs({
  options: {
    routes: { type: 'string', default: '/json' },
    interval: { type: 'string', default: '50000' },
    small: { type: 'string', default: '20' },
    large: { type: 'string', default: '120' },
    warmup: { type: 'string', default: '30' },
    culprit: { type: 'string', default: join(root, 'packages/culprit') },
  },
});
if (!valgrindAvailable()) {
  process.stderr.write('instructions.mjs: valgrind not found (apt-get install valgrind)\n');
  process.exit(2);
}
const app = join(here, 'app.mjs');
const SMALL = Number(values.small);
const LARGE = Number(values.large);
const WARMUP = Number(values.warmup);
const scratch = mkdtempSync(join(tmpdir(), 'culprit-instructions-'));
const { openTarget } = await import(join(values.culprit, 'dist/target/open-target.js'));

function callgrind(outFile) {
  return ['valgrind', '--tool=callgrind', `--callgrind-out-file=${outFile}`, process.execPath];
}

/** callgrind's total, read from the file it wrote at exit (its stderr is the target's, in command mode). */
async function collected(outFile) {
  const { readFileSync } = await import('node:fs');
  const totals = /^(?:totals|summary):\s*(\d+)/m.exec(readFileSync(outFile, 'utf8'));
  if (!totals) throw new Error(`no totals in ${outFile}`);
  return Number(totals[1]);
}

/** Sends GETs one after the other on one keep-alive connection. */
async function load(port, route, count) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let i = 0; i < count; i++) {
      await new Promise((resolve, reject) => {
        http
          .get(`http://127.0.0.1:${port}${route}`, { agent }, (res) => res.resume().on('end', resolve))
          .on('error', reject);
      });
    }
  } finally {
    agent.destroy();
  }
}

/** A peer (unprofiled or `node --cpu-prof`) under callgrind: warm-up, `timed` requests, SIGINT. */
async function peer(flags, route, timed, outFile) {
  const port = 7900 + Math.floor(Math.random() * 90);
  const child = spawn(callgrind(outFile)[0], [...callgrind(outFile).slice(1), ...flags, app], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  for (let i = 0; ; i++) {
    try {
      await load(port, '/', 1);
      break;
    } catch {
      if (child.exitCode !== null || i > 600) throw new Error(failureLine(stderr));
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await load(port, route, WARMUP + timed);
  child.kill('SIGINT');
  await exited;
  return collected(outFile);
}

/** The probe as `culprit profile URL -- node app.mjs` runs it: its timing pass, `timed` requests. */
async function culpritTimingPass(route, timed, outFile) {
  const target = await openTarget({
    mode: 'command',
    command: [...callgrind(outFile), app],
    cwd: here,
    env: { ...process.env, PORT: '0' },
    readyTimeoutMs: 600_000,
    recordTimeoutMs: 600_000,
  });
  try {
    const request = { method: 'GET', path: route };
    await target.probe.startCpuProfile({ intervalUs: Number(values.interval) });
    for (let i = 0; i < WARMUP; i++) await target.send(request);
    await target.probe.startCpuWindow();
    const held = [];
    for (let i = 0; i < timed; i++) held.push(await target.sendHeld(request));
    await target.probe.stopCpuProfile();
    for (const sent of held) await sent.record();
  } finally {
    await target.close();
  }
  return collected(outFile);
}

const modes = {
  unprofiled: (route, n, out) => peer([], route, n, out),
  'node --cpu-prof': (route, n, out) =>
    peer(
      ['--cpu-prof', `--cpu-prof-dir=${join(scratch, 'cpu-prof')}`, `--cpu-prof-interval=${values.interval}`],
      route,
      n,
      out,
    ),
  'culprit profile URL -- node': culpritTimingPass,
};

const routes = values.routes.split(',');
const perRequest = {};
let job = 0;
for (const route of routes) {
  perRequest[route] = {};
  // the modes' runs overlap two at a time: instruction counts do not depend on load
  await Promise.all(
    Object.entries(modes).map(async ([name, run]) => {
      const few = await run(route, SMALL, join(scratch, `${job++}.out`));
      const many = await run(route, LARGE, join(scratch, `${job++}.out`));
      perRequest[route][name] = (many - few) / (LARGE - SMALL);
      process.stderr.write(`${route} ${name}: ${(perRequest[route][name] / 1e6).toFixed(3)}M instructions/request\n`);
    }),
  );
}
rmSync(scratch, { recursive: true, force: true });

const pad = (text, width) => String(text).padEnd(width);
console.log(
  `instructions per timed request (callgrind, all threads; ${LARGE} − ${SMALL} requests after ${WARMUP} warm-ups; sampling every ${values.interval} µs)`,
);
console.log(pad('mode', 30) + routes.map((route) => pad(`${route}`, 14) + pad('ratio', 8)).join(''));
for (const name of Object.keys(modes)) {
  let line = pad(name, 30);
  for (const route of routes) {
    const count = perRequest[route][name];
    line += pad(`${(count / 1e6).toFixed(3)}M`, 14) + pad(`${(count / perRequest[route].unprofiled).toFixed(3)}×`, 8);
  }
  console.log(line);
}
