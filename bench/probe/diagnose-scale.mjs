#!/usr/bin/env node
// Whether `culprit diagnose` grows with the work, not with rows × records
// (issue 15): the story's request (ephemera with --incident: one query loads
// the whole table) at 10k, 30k and 100k rows. Per size: the request alone
// (unprobed server, CPU and wall per request), then a full diagnose (no -n,
// as users run it: up to 3 traced, which also count calls, 1 warm-up and 3
// timed, fewer for a slow request; the sends are read from the capture's
// notes): its wall time, the CPU of culprit and
// the target together (both start-ups included), each ÷ the request's own (CPU, and wall: the time
// ratio), culprit's peak RSS and the target's.
// "without it" leaves out the unprobed server's own start-up CPU (measured
// up to its listening line): the app's start, not culprit's work, which a
// user pays for any run of the server.
// diagnose runs in ephemera's folder, as its developer would run it: culprit
// reads the project it starts in for table declarations, and from the
// repository's root that project is all of culprit (1,010 files, ~110 ms of
// culprit's CPU); --cwd . measures that.
//   node bench/probe/diagnose-scale.mjs [--sizes 10000,30000,100000] [--culprit DIR] [--cwd DIR]
// Archives are seeded once into bench/probe/.data/ (reused).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { processCpuMs } from './pin.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../..');
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,30000,100000' },
    culprit: { type: 'string', default: join(root, 'packages/culprit') },
    cwd: { type: 'string', default: join(root, 'packages/ephemera') },
  },
});
const ephemera = join(root, 'packages/ephemera/dist/cli.js');
const culprit = resolve(values.culprit, 'bin/culprit.js');
// item 1337 exists at every size (13373, the story's, not at 10k); the incident loads the whole table either way
const STORY = '/api/ephemera/1337/?img=2&expand=~all';
const log = (line) => process.stderr.write(`${line}\n`);
const dataDir = join(here, '.data');
mkdirSync(dataDir, { recursive: true });

function archive(rows) {
  const file = join(dataDir, `ephemera-${rows}.sqlite`);
  if (existsSync(`${file}.done`)) return file;
  log(`seeding ${rows} rows…`);
  const seeded = spawnSync(process.execPath, [ephemera, 'seed', '--count', String(rows), '--db', file], {
    stdio: 'inherit',
  });
  if (seeded.status !== 0) throw new Error(`seeding failed (${seeded.status})`);
  spawnSync('touch', [`${file}.done`]);
  return file;
}

function get(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => res.resume().on('end', resolve)).on('error', reject);
  });
}

/** The request alone: CPU and wall per request on an unprobed server (1 warm-up, 3 timed). */
async function requestAlone(file) {
  const child = spawn(process.execPath, [ephemera, 'serve', '--port', '0', '--db', file, '--incident'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const address = await new Promise((resolve) => {
    child.stdout.on('data', (d) => {
      const m = /http:\/\/[\d.]+:\d+/.exec(String(d));
      if (m) resolve(m[0]);
    });
  });
  // the server's own start-up, which a diagnose pays too (unprobed: what the user's server costs anyway)
  const startCpuMs = processCpuMs(child.pid);
  await get(address + STORY);
  const cpu0 = processCpuMs(child.pid);
  const t0 = performance.now();
  for (let i = 0; i < 3; i++) await get(address + STORY);
  const result = { wallMs: (performance.now() - t0) / 3, cpuMs: (processCpuMs(child.pid) - cpu0) / 3, startCpuMs };
  child.kill();
  return result;
}

/** A full diagnose: wall, CPU of culprit + target (waited children), both peaks. */
async function diagnose(file) {
  const peakFile = join(dataDir, 'culprit-peak');
  rmSync(peakFile, { force: true });
  const args = ['-f', '%e %U %S', process.execPath, '-r', join(root, 'bench/memory/report-peak.cjs'), culprit];
  const saved = join(dataDir, 'diagnose-capture.json');
  rmSync(saved, { force: true });
  args.push(
    'diagnose',
    '--json',
    '--save',
    saved,
    STORY,
    '--',
    process.execPath,
    ephemera,
    'serve',
    '--port',
    '0',
    '--db',
    file,
    '--incident',
  );
  const child = spawn('/usr/bin/time', args, {
    cwd: resolve(values.cwd),
    env: { ...process.env, CULPRIT_BENCH_PEAK_FILE: peakFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  let targetPeakKb = 0;
  const poll = setInterval(() => {
    for (const line of spawnSync('pgrep', ['-f', `serve --port 0 --db ${file}`], { encoding: 'utf8' }).stdout.split(
      '\n',
    )) {
      if (!line) continue;
      try {
        const m = /^VmHWM:\s+(\d+)/m.exec(readFileSync(`/proc/${line}/status`, 'utf8'));
        if (m) targetPeakKb = Math.max(targetPeakKb, Number(m[1]));
      } catch {}
    }
  }, 100);
  const code = await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(poll);
  if (code !== 0) throw new Error(`diagnose failed (${code}): ${stderr.slice(-600)}`);
  // time's line (the target's last stderr lines may come after it)
  const timing = stderr
    .trim()
    .split('\n')
    .findLast((line) => /^[\d.]+ [\d.]+ [\d.]+$/.test(line.trim()));
  const [wall, user, sys] = (timing ?? '').trim().split(' ').map(Number);
  // the sends, as the capture's notes count them ("GET request sent 3 times (trace)")
  const notes = JSON.parse(readFileSync(saved, 'utf8')).notes ?? [];
  const sends = notes.reduce((sum, note) => sum + Number(/request sent (\d+) times?/.exec(note)?.[1] ?? 0), 0);
  return {
    sends,
    wallMs: wall * 1000,
    cpuMs: (user + sys) * 1000,
    culpritPeakMb: Number(readFileSync(peakFile, 'utf8')) / 1024,
    targetPeakMb: targetPeakKb / 1024,
  };
}

const rows = [];
for (const size of values.sizes.split(',').map(Number)) {
  const file = archive(size);
  const alone = await requestAlone(file);
  const run = await diagnose(file);
  rows.push({ size, alone, run });
  log(
    `${size}: request ${alone.cpuMs.toFixed(0)} ms CPU / ${alone.wallMs.toFixed(0)} ms wall; diagnose ${run.cpuMs.toFixed(0)} ms CPU / ${run.wallMs.toFixed(0)} ms wall`,
  );
}
console.log('culprit diagnose on the story request (ephemera --incident), no -n');
console.log(
  'rows     request CPU  wall   | diagnose CPU   wall     sends  ÷request CPU  ÷sends  ÷request wall | app start  ÷request without it | culprit peak  target peak',
);
for (const { size, alone, run } of rows) {
  console.log(
    `${String(size).padEnd(8)} ${alone.cpuMs.toFixed(0).padStart(8)} ms ${alone.wallMs.toFixed(0).padStart(6)} ms | ${run.cpuMs.toFixed(0).padStart(9)} ms ${run.wallMs.toFixed(0).padStart(7)} ms ${String(run.sends).padStart(6)} ${(run.cpuMs / alone.cpuMs).toFixed(1).padStart(12)}× ${(run.cpuMs / alone.cpuMs / run.sends).toFixed(2).padStart(6)}× ${(run.wallMs / alone.wallMs).toFixed(1).padStart(12)}× | ${alone.startCpuMs.toFixed(0).padStart(6)} ms ${((run.cpuMs - alone.startCpuMs) / alone.cpuMs).toFixed(1).padStart(19)}× | ${run.culpritPeakMb.toFixed(0).padStart(9)} MB ${run.targetPeakMb.toFixed(0).padStart(9)} MB`,
  );
}
