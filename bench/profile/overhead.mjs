#!/usr/bin/env node
// Overhead of culprit's timing pass on a call-heavy request, against the
// unprofiled request and `node --cpu-prof` on the same workload, in one run.
// Modes alternate over several rounds (a shared machine is noisy); each round
// gives, per mode, the median request wall time and the CPU time per request.
//   node bench/profile/overhead.mjs [--rounds 5] [-n 30] [--interval 1000]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    n: { type: 'string', short: 'n', default: '30' },
    interval: { type: 'string', default: '1000' },
  },
});
const runner = fileURLToPath(new URL('./overhead-runner.mjs', import.meta.url));
const profDir = mkdtempSync(join(tmpdir(), 'culprit-cpu-prof-'));
const modes = {
  unprofiled: [runner, 'plain'],
  'culprit timing pass': [runner, 'inspector'],
  'node --cpu-prof': [
    `--cpu-prof`,
    `--cpu-prof-dir=${profDir}`,
    `--cpu-prof-interval=${values.interval}`,
    runner,
    'plain',
  ],
  'culprit count pass': [runner, 'coverage'],
};
const results = Object.fromEntries(Object.keys(modes).map((name) => [name, []]));
for (let round = 0; round < Number(values.rounds); round++) {
  for (const [name, args] of Object.entries(modes)) {
    const out = execFileSync(process.execPath, [...args, values.n, values.interval]);
    results[name].push(JSON.parse(String(out)));
  }
}
rmSync(profDir, { recursive: true, force: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
// Wall time on a shared machine swings with contention (best and median
// rounds shown); CPU time per request of the whole process (profiler and GC
// threads included) is steadier and counts the profiler's own threads too:
// it is the verdict.
const figure = (name, key, pick) => pick(results[name].map((r) => r[key]));
const best = (xs) => Math.min(...xs);
console.log(`overhead, storm request, ${values.rounds} rounds × ${values.n} requests, interval ${values.interval} µs`);
console.log('mode                   CPU/request (median)   wall (best round)   wall (median round)');
for (const name of Object.keys(results)) {
  const cells = [
    [figure(name, 'cpuMs', median), figure('unprofiled', 'cpuMs', median)],
    [figure(name, 'wallMs', best), figure('unprofiled', 'wallMs', best)],
    [figure(name, 'wallMs', median), figure('unprofiled', 'wallMs', median)],
  ].map(([v, base]) => `${v.toFixed(2)} ms ${(v / base).toFixed(2)}×`);
  console.log(`${name.padEnd(22)} ${cells[0].padStart(18)}   ${cells[1].padStart(17)}   ${cells[2].padStart(19)}`);
}
const ratio = figure('culprit timing pass', 'cpuMs', median) / figure('unprofiled', 'cpuMs', median);
console.log(
  `timing pass / unprofiled, CPU per request = ${ratio.toFixed(2)}× (target ≤ 1.10): ${ratio <= 1.1 ? 'PASS' : 'FAIL'}`,
);
process.exitCode = ratio <= 1.1 ? 0 : 1;
