#!/usr/bin/env node
// What the sends of a short request's diagnose without -n cost the target, in instructions (callgrind,
// which load does not move; the passes themselves decide by wall time, so under valgrind a real
// diagnose always takes the long path, and this script replays the probe calls and sends of each
// sequence instead). The story's server runs under callgrind, probed as culprit starts it:
//   before  the diagnose of 75e5caa: 2 traced runs under count mode, a warm-up, 2 timed
//   after   1 traced run, a warm-up recording queries (no stacks), 1 timed
//   after2  as after with 2 timed (the difference is one timed send)
//   none    the probe calls alone, no send (the server's start and the fixed calls)
//   traced  the traced run alone (then the profiler started and stopped without a send)
//   warm    the traced run and the warm-up after it, no timed run
// Sources and the mapping are left out (the same in all). One sequence per run:
//   node bench/probe/diagnose-sends-model.mjs before|after|after2|none|traced|warm ROWS OUT_PREFIX
// The counts are in OUT_PREFIX.log ("Collected"). The archive comes from diagnose-scale.mjs.
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../..');
const [seq, rows, out] = process.argv.slice(2);
if (!['before', 'after', 'after2', 'none', 'traced', 'warm'].includes(seq) || !rows || !out) {
  console.error('diagnose-sends-model: expected before|after|after2|none|traced|warm ROWS OUT_PREFIX');
  process.exit(2);
}
const dist = (p) => import(pathToFileURL(join(root, 'packages/culprit/dist', p)).href);
const { openTarget } = await dist('target/open-target.js');
const { parseTraceArgs } = await dist('trace/cli-options.js');
const STORY = '/api/ephemera/1337/?img=2&expand=~all';
const file = join(here, '.data', `ephemera-${rows}.sqlite`);
const args = [
  '--ready-timeout',
  '600',
  '--timeout',
  '600',
  STORY,
  '--',
  'valgrind',
  '--tool=callgrind',
  `--callgrind-out-file=${out}.out`,
  `--log-file=${out}.log`,
  process.execPath,
  '--random-seed=1',
  join(root, 'packages/ephemera/dist/cli.js'),
  'serve',
  '--port',
  '0',
  '--db',
  file,
  '--incident',
];
const options = parseTraceArgs(args, resolve(root, 'packages/ephemera'), 'diagnose');
const target = await openTarget({ ...options.target });
const p = target.probe;
const req = options.request;
const trace = { queries: true, constructions: false, stacks: true };
const off = { queries: false, constructions: false, stacks: false };
const t0 = Date.now();
await p.configureTrace(trace);
await p.startCallCounts();
if (seq !== 'none') await target.send(req);
await p.takeCallCounts();
if (seq === 'before') {
  await target.send(req);
  await p.takeCallCounts();
}
await p.stopCallCounts();
const checks = seq.startsWith('after') || seq === 'warm';
await p.configureTrace(checks ? { queries: true, constructions: false, stacks: false } : off);
// under callgrind the server runs ~50× slower and the profiler samples by wall time: 50 ms gives about the
// samples per request 1 ms gives at native speed (as instructions.mjs does)
await p.startCpuProfile({ intervalUs: 50_000 });
if (seq !== 'none' && seq !== 'traced') await target.send(req); // warm-up
if (checks) await p.configureTrace(off);
await p.startCpuWindow();
const timed = seq === 'before' || seq === 'after2' ? 2 : seq === 'after' ? 1 : 0;
const held = [];
for (let i = 0; i < timed; i++) held.push(await target.sendHeld(req));
await p.stopCpuProfile();
for (const h of held) await h.record();
process.stderr.write(`${seq}: ${target.sent} sends in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
// valgrind writes its counts as the process ends: give it the time culprit's 2 s grace does not
process.kill(target.info.pid, 'SIGTERM');
for (let i = 0; i < 600; i++) {
  try {
    process.kill(target.info.pid, 0);
  } catch {
    break;
  }
  await new Promise((r) => setTimeout(r, 200));
}
await target.close();
