#!/usr/bin/env node
// Attribution: do culprit's times split a request the way the CPU was really
// spent? The burners run the same loop 60:30:10 times, so the nominal shares
// are 60/30/10 %; as a sanity check each burner is also timed alone,
// unprofiled, in this process (median of performance.now around each call).
// `culprit profile` runs the same module; each burner's share of the three
// (from its totalMs) must be within ±3 points of nominal.
//   node bench/profile/attribution.mjs [-n 20] [--interval 1000]
// Needs `npm run build` (the probe runs from dist/).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { burnSixty, burnTen, burnThirty, UNITS } from './burners.mjs';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '20' }, interval: { type: 'string', default: '1000' } },
});
const here = fileURLToPath(new URL('.', import.meta.url));
const bin = fileURLToPath(new URL('../../packages/culprit/bin/culprit.js', import.meta.url));
const burners = { burnSixty, burnThirty, burnTen };

// Ground truth, unprofiled: rounds that call each burner once, timed alone;
// the median per burner resists the noise of a shared machine.
const perCall = Object.fromEntries(Object.keys(burners).map((name) => [name, []]));
for (let round = 0; round < 3 + Number(values.n); round++) {
  for (const [name, fn] of Object.entries(burners)) {
    const start = performance.now();
    fn(UNITS);
    if (round >= 3) perCall[name].push(performance.now() - start);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const truthMs = Object.fromEntries(Object.entries(perCall).map(([name, xs]) => [name, median(xs)]));

const stdout = execFileSync(
  process.execPath,
  [
    bin,
    'profile',
    '--app',
    'attribution-app.mjs',
    'GET',
    '/work',
    '-n',
    values.n,
    '--interval',
    values.interval,
    '--json',
  ],
  { cwd: here, maxBuffer: 256 * 1024 * 1024 },
);
const capture = JSON.parse(String(stdout));
const reportedMs = {};
for (const name of Object.keys(burners)) {
  const fn = capture.profile.functions.find((f) => f.name === name);
  reportedMs[name] = fn ? fn.totalMs : 0;
}

const share = (table) => {
  const sum = Object.values(table).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [k, (100 * v) / sum]));
};
const truth = share(truthMs);
const reported = share(reportedMs);
const nominal = { burnSixty: 60, burnThirty: 30, burnTen: 10 };
let worst = 0;
console.log(`attribution, -n ${values.n}, interval ${values.interval} µs (shares of the three burners, %)`);
console.log('function    nominal  measured  culprit  Δ nominal  Δ measured');
for (const name of Object.keys(burners)) {
  const delta = reported[name] - nominal[name];
  worst = Math.max(worst, Math.abs(delta));
  const cells = [nominal[name], truth[name], reported[name], delta, reported[name] - truth[name]];
  console.log(`${name.padEnd(11)} ${cells.map((v, i) => v.toFixed(1).padStart([7, 9, 8, 10, 11][i])).join(' ')}`);
}
console.log(`worst |Δ nominal| = ${worst.toFixed(1)} points (target ≤ 3): ${worst <= 3 ? 'PASS' : 'FAIL'}`);
process.exitCode = worst <= 3 ? 0 : 1;
