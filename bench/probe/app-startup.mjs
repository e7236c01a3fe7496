#!/usr/bin/env node
// The probe's start-up cost on a real application (issue 15: ≤ 10 ms per process), where the trivial
// server of startup.mjs has no dependencies and no source maps: ephemera (TypeScript compiled with
// source maps, Express-like routing, SQLite) by default, or any server command after `--` that prints
// its URL or "listening". Three ways, interleaved, the server's CPU (/proc, all threads) read when it
// prints that line, medians:
//   plain          the server alone
//   probe          NODE_OPTIONS as culprit sets it (`--require <probe>`, `--import` for builds before it, the socket variable set)
//   probe+maps     the same with --enable-source-maps, as culprit ran targets before ca2d04d: Node then
//                  reads and parses the source map of every module it loads
// --callgrind also counts each mode's instructions up to the listen (valgrind, load-independent; the
// process exits there, or CULPRIT_EXIT_AFTER_MS later so that what the probe does once the server
// listens is counted too: exit-on-listen.cjs), the verdict on a loaded machine.
//   node bench/probe/app-startup.mjs [--starts 7] [--rows 30000] [--callgrind] [-- node server.js]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { inParallel, instructionsOfAsync, valgrindAvailable } from '../callgrind.mjs';
import { processCpuMs } from './pin.mjs';
import { probePreloadOption } from './preload.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../..');
const { values, positionals } = parseArgs({
  options: {
    starts: { type: 'string', default: '7' },
    rows: { type: 'string', default: '30000' },
    culprit: { type: 'string', default: join(root, 'packages/culprit') },
    callgrind: { type: 'boolean', default: false },
  },
  allowPositionals: true,
});
let command = positionals;
if (command.length === 0) {
  const db = join(here, '.data', `ephemera-${values.rows}.sqlite`);
  if (!existsSync(`${db}.done`)) {
    console.error(`app-startup: ${db} is not seeded; run diagnose-scale.mjs --sizes ${values.rows} first`);
    process.exit(2);
  }
  command = [process.execPath, join(root, 'packages/ephemera/dist/cli.js'), 'serve', '--port', '0', '--db', db];
}
const probe = probePreloadOption(values.culprit);
const { NODE_OPTIONS: _, NODE_EXTRA_CA_CERTS: __, ...base } = process.env;
const socket = { CULPRIT_PROBE_SOCKET: join(here, 'no-such.sock') };
const modes = {
  plain: base,
  probe: { ...base, ...socket, NODE_OPTIONS: probe },
  'probe+maps': { ...base, ...socket, NODE_OPTIONS: `${probe} --enable-source-maps` },
};

/** The server's CPU ms when it says it listens. */
function startOnce(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (data) => {
      output += data;
      if (!/https?:\/\/|listening/i.test(output)) return;
      const cpuMs = processCpuMs(child.pid);
      child.kill();
      resolve(cpuMs);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!/https?:\/\/|listening/i.test(output))
        reject(new Error(`exited ${code} before listening: ${output.slice(-400)}`));
    });
  });
}

const starts = Number(values.starts);
const cpu = Object.fromEntries(Object.keys(modes).map((mode) => [mode, []]));
for (let i = 0; i < starts; i++) {
  for (const [mode, env] of Object.entries(modes)) cpu[mode].push(await startOnce(env));
  process.stderr.write(`start ${i + 1}/${starts}\r`);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
if (starts > 0)
  console.log(
    `start-up CPU until listening: ${command.slice(1).join(' ')} (Node ${process.versions.node}, ${starts} interleaved starts, medians)`,
  );
const plain = median(cpu.plain);
for (const mode of starts > 0 ? Object.keys(modes) : []) {
  const ms = median(cpu[mode]);
  const added = mode === 'plain' ? '' : `${ms - plain >= 0 ? '+' : ''}${(ms - plain).toFixed(0)} ms`;
  console.log(
    `${mode.padEnd(11)} ${ms.toFixed(0).padStart(6)} ms ${added.padStart(9)}   (runs: ${cpu[mode].map((v) => v.toFixed(0)).join(' ')})`,
  );
}

if (values.callgrind) {
  if (!valgrindAvailable()) {
    console.error('app-startup: --callgrind needs valgrind (apt-get install valgrind)');
    process.exit(2);
  }
  if (command[0] !== process.execPath) {
    console.error('app-startup: --callgrind counts a command that starts with this node binary');
    process.exit(2);
  }
  const exitOnListen = join(here, 'exit-on-listen.cjs');
  const norandom = spawnSync('setarch', ['-R', 'true']).status === 0;
  const counts = {};
  await inParallel(
    Object.entries(modes).map(([mode, env]) => async () => {
      // a fixed address layout and hash seed make the counts repeat (as startup.mjs does)
      counts[mode] = await instructionsOfAsync(['--random-seed=1', '--require', exitOnListen, ...command.slice(1)], {
        env,
        prefix: norandom ? ['setarch', '-R'] : [],
      });
    }),
    2,
  );
  console.log('instructions until listening (callgrind, whole process):');
  for (const mode of Object.keys(modes)) {
    const added =
      mode === 'plain'
        ? ''
        : `${counts[mode] >= counts.plain ? '+' : ''}${((counts[mode] - counts.plain) / 1e6).toFixed(1)} M`;
    console.log(`${mode.padEnd(11)} ${(counts[mode] / 1e6).toFixed(1).padStart(9)} M ${added.padStart(10)}`);
  }
}
