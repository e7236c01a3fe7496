#!/usr/bin/env node
// Overhead of culprit's timing pass on a call-heavy request, against the
// unprofiled request and `node --cpu-prof` on the same workload, in one run.
// Modes alternate over several rounds (a shared machine is noisy); each
// figure is the median of the per-round medians.
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
    results[name].push(Number(String(out).trim()));
  }
}
rmSync(profDir, { recursive: true, force: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const base = median(results.unprofiled);
console.log(`overhead, storm request, ${values.rounds} rounds × ${values.n} requests, interval ${values.interval} µs`);
for (const [name, xs] of Object.entries(results)) {
  console.log(`${name.padEnd(22)} ${median(xs).toFixed(2).padStart(8)} ms   ${(median(xs) / base).toFixed(2)}×`);
}
const ratio = median(results['culprit timing pass']) / base;
console.log(`timing pass / unprofiled = ${ratio.toFixed(2)}× (target ≤ 1.10): ${ratio <= 1.1 ? 'PASS' : 'FAIL'}`);
process.exitCode = ratio <= 1.1 ? 0 : 1;
