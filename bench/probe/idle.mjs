#!/usr/bin/env node
// What the probe costs when nobody records (issue 15): requests/s of a
// trivial server (app.mjs `GET /`) plain, and with the probe preloaded and
// connected to culprit: idle (recording off), tracing queries (scopes on) and
// counting constructions (V8 count mode); then the start-up cost per Node
// process of the probe (every process of the target's tree loads it) and of
// culprit/register, beside plain Node (startup.mjs: instructions, wall, CPU).
// Server pinned to core 0, load (`culprit bench`) to core 1; modes interleaved.
//   node bench/probe/idle.mjs [--rounds 3] [--seconds 4] [-c 8] [--starts 20] [--callgrind yes|no] [--culprit DIR]
// (--rounds 0 measures the start-up only, --starts 0 skips it)
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { canPin, descendants, onCore, pinSelf, processCpuMs } from './pin.mjs';
import { measureStartup } from './startup.mjs';

pinSelf(1);
const here = fileURLToPath(new URL('.', import.meta.url));
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '4' },
    c: { type: 'string', short: 'c', default: '8' },
    starts: { type: 'string', default: '20' },
    callgrind: { type: 'string', default: 'yes' },
    culprit: { type: 'string', default: join(here, '../../packages/culprit') },
  },
});
const dist = join(values.culprit, 'dist');
const culpritBin = join(values.culprit, 'bin/culprit.js');
const app = join(here, 'app.mjs');
const log = (line) => process.stderr.write(`${line}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
let port = 7900 + Math.floor(Math.random() * 500);

/** The server's pid: the descendant of this script that runs app.mjs. */
function serverPid() {
  return descendants(process.pid).find((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('app.mjs');
    } catch {
      return false;
    }
  });
}

/** Requests/s and the server's CPU per request (µs) over one load run. */
function measure(url) {
  const pid = serverPid();
  const before = processCpuMs(pid);
  const out = runLoad(url);
  return { rps: out.rps, cpuUs: ((processCpuMs(pid) - before) * 1000) / out.requests };
}

function runLoad(url) {
  const out = spawnSync(
    process.execPath,
    [culpritBin, 'bench', '-z', `${values.seconds}s`, '-c', values.c, '--json', url],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (out.status !== 0) throw new Error(`culprit bench failed: ${out.stderr}`);
  const result = JSON.parse(out.stdout);
  return { rps: result.rps, requests: result.requests };
}

async function plainServer() {
  port += 1;
  const child = spawn(onCore(0, [process.execPath, app])[0], onCore(0, [process.execPath, app]).slice(1), {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  return { url: `http://127.0.0.1:${port}/`, close: async () => child.kill() };
}

async function probedServer(config) {
  port += 1;
  const { openTarget } = await import(pathToFileURL(join(dist, 'target/open-target.js')).href);
  const target = await openTarget({
    mode: 'command',
    command: onCore(0, [process.execPath, app]),
    cwd: here,
    env: { ...process.env, PORT: String(port) },
    readyTimeoutMs: 60_000,
  });
  if (config) await target.probe.configureTrace(config);
  return { url: `http://127.0.0.1:${port}/`, close: () => target.close() };
}

const modes = {
  'no probe': () => plainServer(),
  'probe connected, idle': () => probedServer(undefined),
  'probe, queries traced': () => probedServer({ queries: true, constructions: false, stacks: false }),
  'probe, constructions counted': () => probedServer({ queries: false, constructions: true, stacks: false }),
};
const results = Object.fromEntries(Object.keys(modes).map((m) => [m, []]));
for (let round = 0; round < Number(values.rounds); round++) {
  for (const [name, open] of Object.entries(modes)) {
    const server = await open();
    try {
      runLoad(server.url); // warm-up run, not counted
      const value = measure(server.url);
      results[name].push(value);
      log(`round ${round + 1} ${name}: ${Math.round(value.rps)} requests/s, ${value.cpuUs.toFixed(0)} µs CPU/request`);
    } finally {
      await server.close();
    }
  }
}

// --rounds 0: start-up only
if (Number(values.rounds) > 0) {
  const base = median(results['no probe'].map((r) => r.rps));
  const baseCpu = median(results['no probe'].map((r) => r.cpuUs));
  console.log(
    `trivial server (median of ${values.rounds} rounds × ${values.seconds} s, -c ${values.c}; server on core 0, load on core 1${canPin ? '' : ' (not pinned)'})`,
  );
  console.log(`${'mode'.padEnd(30)} requests/s   ratio   server CPU/request   ratio`);
  for (const [name, xs] of Object.entries(results)) {
    const r = median(xs.map((x) => x.rps));
    const c = median(xs.map((x) => x.cpuUs));
    console.log(
      `${name.padEnd(30)} ${String(Math.round(r)).padStart(10)}   ${(r / base).toFixed(2)}×   ${c.toFixed(0).padStart(15)} µs   ${(c / baseCpu).toFixed(2)}×`,
    );
  }
}
if (Number(values.starts) > 0) {
  await measureStartup({
    culprit: values.culprit,
    starts: Number(values.starts),
    instructions: values.callgrind !== 'no',
    onCore: (command) => onCore(0, command),
    log,
  });
}
