#!/usr/bin/env node
// What `culprit watch` costs the app it watches (issue 13: ≤ 5% CPU at a fixed
// request rate on ephemera's clean endpoints): the server's CPU per second and
// per request under the same constant-rate load (`culprit bench -q`), run
// plain and under `culprit watch -- ephemera serve`, interleaved round by round.
// Server pinned to core 0, load and culprit's CLI to core 1 (bench/probe/pin.mjs).
//   node bench/watch/overhead.mjs [--rate 1000 (0: unpaced)] [--seconds 8] [--rounds 3] [--items 10000] [--before DIR]
// --before DIR: also runs the watch of another build (a copy of packages/culprit with its dist/) in
// the same rounds, so a before/after is one run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { canPin, descendants, onCore, pinSelf, processCpuMs } from '../probe/pin.mjs';

pinSelf(1);
const root = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    items: { type: 'string', default: '10000' },
    c: { type: 'string', short: 'c', default: '16' },
    before: { type: 'string' },
  },
});
const culprit = join(root, 'packages/culprit/bin/culprit.js');
const watchers = { 'culprit watch': culprit };
if (values.before) watchers['watch (before)'] = join(values.before, 'bin/culprit.js');
const ephemera = join(root, 'packages/ephemera/dist/cli.js');
const log = (line) => process.stderr.write(`${line}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
// the clean endpoints: the story's item (without the incident), a page of the list, a search
const paths = ['/api/ephemera/1337/?img=2&expand=~all', '/api/ephemera/?page_size=20', '/api/ephemera/42/'];
let port = 8400 + Math.floor(Math.random() * 400);

function archive() {
  const dir = join(root, 'packages/ephemera/.data');
  const file = join(dir, `bench-${values.items}.sqlite`);
  if (existsSync(file) && existsSync(`${file}.done`)) return file;
  mkdirSync(dir, { recursive: true });
  log(`seeding ${values.items} items into ${file} …`);
  const seeded = spawnSync(process.execPath, [ephemera, 'seed', '--count', values.items, '--db', file], {
    stdio: 'inherit',
  });
  if (seeded.status !== 0) throw new Error('seeding failed');
  spawnSync('touch', [`${file}.done`]);
  return file;
}

async function answering(url) {
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never answered`);
}

/** The ephemera server's pid among this script's descendants (under culprit watch too). */
function serverPid() {
  return descendants(process.pid).find((pid) => {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmd.includes('ephemera/dist/cli.js') && cmd.includes('serve') && !cmd.includes('culprit.js');
    } catch {
      return false;
    }
  });
}

async function start(mode, db) {
  port += 1;
  const serve = onCore(0, [process.execPath, ephemera, 'serve', '--port', String(port), '--db', db]);
  const argv =
    mode === 'no probe'
      ? serve
      : [process.execPath, watchers[mode], 'watch', '--json', '--duration', '600', '--', ...serve];
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  await answering(`http://127.0.0.1:${port}/api/ephemera/1/`);
  const stopped = new Promise((resolve) => child.once('exit', resolve));
  return {
    base: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGINT'); // culprit watch reports and stops its target; a plain server just ends
      await stopped;
      return out;
    },
  };
}

/** Constant-rate load over the clean endpoints (rate split evenly); the server's CPU over it. */
function measure(base) {
  const pid = serverPid();
  const before = processCpuMs(pid);
  const started = performance.now();
  const runs = paths.map((path) =>
    spawn(process.execPath, [
      culprit,
      'bench',
      '-z',
      `${values.seconds}s`,
      // --rate 0: as fast as the connections go (the CPU per request of a busy server, when a loaded
      // machine starves the paced load generator)
      ...(Number(values.rate) > 0 ? ['-q', String(Number(values.rate) / paths.length)] : []),
      '-c',
      String(Math.ceil(Number(values.c) / paths.length)),
      '--json',
      `${base}${path}`,
    ]),
  );
  return Promise.all(
    runs.map(
      (run) =>
        new Promise((resolve, reject) => {
          let out = '';
          run.stdout.on('data', (chunk) => {
            out += chunk;
          });
          run.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`bench exit ${code}`))));
        }),
    ),
  ).then((reports) => {
    const seconds = (performance.now() - started) / 1000;
    const cpuMs = processCpuMs(pid) - before;
    const requests = reports.reduce((sum, r) => sum + r.requests, 0);
    const errors = reports.reduce((sum, r) => sum + r.errors, 0);
    return { rps: requests / seconds, cpuPct: cpuMs / seconds / 10, cpuUs: (cpuMs * 1000) / requests, errors };
  });
}

const db = archive();
const modes = ['no probe', ...Object.keys(watchers)];
const results = Object.fromEntries(modes.map((mode) => [mode, []]));
let watchedRoutes = '';
for (let round = 0; round < Number(values.rounds); round++) {
  for (const mode of modes) {
    const server = await start(mode, db);
    try {
      await measure(server.base); // warm-up, not counted
      const value = await measure(server.base);
      results[mode].push(value);
      log(
        `round ${round + 1} ${mode}: ${value.rps.toFixed(0)} requests/s, server CPU ${value.cpuPct.toFixed(1)}% of a core, ${value.cpuUs.toFixed(0)} µs/request, ${value.errors} errors`,
      );
    } finally {
      const out = await server.stop();
      if (mode === 'culprit watch' && out) {
        const capture = JSON.parse(out);
        watchedRoutes = capture.watch.routes
          .map((r) => `${r.route} ×${r.count}${r.detailed === undefined ? '' : ` (${r.detailed} in full)`}`)
          .join(', ');
      }
    }
  }
}
const base = results['no probe'];
const load = (await import('node:os')).loadavg().map((l) => l.toFixed(1));
console.log(
  `load average ${load.join(' ')} at the end; ephemera (${values.items} items), ${Number(values.rate) > 0 ? `${values.rate} requests/s` : `unpaced, ${values.c} connections`} over ${paths.length} clean endpoints, median of ${values.rounds} rounds × ${values.seconds} s; server on core 0${canPin ? '' : ' (not pinned)'}`,
);
console.log(
  `${'mode'.padEnd(16)} requests/s   server CPU (% of a core)   ratio   CPU/request   ratio   best CPU/request   ratio`,
);
// best of the rounds too: other jobs on a shared machine only ever add CPU to a round
const best = (xs) => Math.min(...xs);
for (const mode of modes) {
  const pct = median(results[mode].map((r) => r.cpuPct));
  const us = median(results[mode].map((r) => r.cpuUs));
  const low = best(results[mode].map((r) => r.cpuUs));
  console.log(
    `${mode.padEnd(16)} ${median(results[mode].map((r) => r.rps))
      .toFixed(0)
      .padStart(
        10,
      )}   ${pct.toFixed(1).padStart(24)}   ${(pct / median(base.map((r) => r.cpuPct))).toFixed(2)}×   ${us.toFixed(0).padStart(8)} µs   ${(us / median(base.map((r) => r.cpuUs))).toFixed(2)}×   ${low.toFixed(0).padStart(13)} µs   ${(low / best(base.map((r) => r.cpuUs))).toFixed(2)}×`,
  );
}
if (watchedRoutes) console.log(`culprit watch saw (last round): ${watchedRoutes}`);
