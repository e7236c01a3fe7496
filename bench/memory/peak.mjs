#!/usr/bin/env node
// Peak memory of culprit (and of its target) on one request of 10k, 100k and
// 1M SQL queries, in one run. See README.md. Linux: the target's peak is read
// from /proc/<pid>/status (VmHWM), culprit's own from process.resourceUsage().
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '../../packages/culprit/bin/culprit.js');
const { values, positionals } = parseArgs({
  options: { command: { type: 'string', default: 'diagnose' }, 'timeout-s': { type: 'string', default: '3600' } },
  allowPositionals: true,
});
const sizes = positionals.length ? positionals.map(Number) : [10_000, 100_000, 1_000_000];
const command = values.command;
if (command !== 'diagnose' && command !== 'trace') {
  console.error('peak.mjs: --command is diagnose or trace');
  process.exit(2);
}

/** Peak RSS (kB) of a live process, or undefined once it is gone. */
function highWaterKb(pid) {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Pids descending from `root` (the target and anything it started). */
function descendants(root) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // exited between readdir and read
    }
  }
  const out = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length) {
    const pid = queue.shift();
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

function runOnce(n) {
  const dir = mkdtempSync(join(tmpdir(), 'culprit-peak-'));
  const peakFile = join(dir, 'culprit-peak');
  const capture = join(dir, 'capture.json');
  const argv = ['-r', join(here, 'report-peak.cjs'), bin, command, '--save', capture, `/queries?n=${n}`];
  argv.push('--', process.execPath, join(here, 'app.mjs'));
  const started = performance.now();
  const child = spawn(process.execPath, argv, {
    cwd: here,
    env: { ...process.env, CULPRIT_BENCH_PEAK_FILE: peakFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  // VmHWM is a high-water mark: a sample any time after the peak reads it, so
  // polling needs no speed, only to happen before the target exits. The tree
  // is rediscovered now and then (scanning /proc costs more than reading it).
  const targetPeaks = new Map();
  let tree = [];
  let ticks = 0;
  const poll = setInterval(() => {
    if (ticks++ % 10 === 0) tree = descendants(child.pid);
    for (const pid of tree) {
      const kb = highWaterKb(pid);
      if (kb !== undefined) targetPeaks.set(pid, Math.max(kb, targetPeaks.get(pid) ?? 0));
    }
  }, 100);
  const timer = setTimeout(() => child.kill('SIGINT'), Number(values['timeout-s']) * 1000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      let culpritKb;
      let queries;
      let captureBytes;
      try {
        culpritKb = Number(readFileSync(peakFile, 'utf8'));
        captureBytes = statSync(capture).size;
        queries = countQueries(JSON.parse(readFileSync(capture, 'utf8')));
      } catch {
        // reported below as missing
      }
      rmSync(dir, { recursive: true, force: true });
      const targetKb = Math.max(0, ...targetPeaks.values());
      resolve({ n, code, seconds, culpritKb, targetKb, queries, captureBytes, stderr: stderr.trim() });
    });
  });
}

/** Queries a capture accounts for in its first request: kept one by one plus folded. */
function countQueries(capture) {
  const request = capture.requests?.[0];
  if (!request) return undefined;
  const folded = (request.foldedQueries ?? []).reduce((sum, group) => sum + group.count, 0);
  return { kept: request.queries.length, folded, total: request.queries.length + folded };
}

const mb = (kb) => (kb === undefined ? '—' : `${(kb / 1024).toFixed(0)} MB`);
console.log(`culprit ${command}: one request issuing N × 1.1 queries (better-sqlite3, in memory)\n`);
console.log(
  'queries/request   culprit peak RSS   target peak RSS   queries in capture (kept + folded)   capture    wall',
);
for (const n of sizes) {
  const r = await runOnce(n);
  const expected = n + Math.ceil(n / 10);
  const counted = r.queries
    ? `${r.queries.total.toLocaleString('en-US')} (${r.queries.kept.toLocaleString('en-US')} + ${r.queries.folded.toLocaleString('en-US')})${r.queries.total === expected ? '' : ` ≠ ${expected.toLocaleString('en-US')}`}`
    : 'no capture';
  const size = r.captureBytes === undefined ? '—' : `${(r.captureBytes / 1e6).toFixed(1)} MB`;
  console.log(
    `${expected.toLocaleString('en-US').padStart(15)}   ${mb(r.culpritKb).padStart(16)}   ${mb(r.targetKb).padStart(15)}   ${counted.padEnd(36)}   ${size.padStart(7)}   ${r.seconds.toFixed(1)} s`,
  );
  if (r.code !== 0) console.log(`  culprit exited ${r.code}: ${r.stderr.split('\n').slice(-3).join(' | ')}`);
}
