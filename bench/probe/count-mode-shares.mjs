#!/usr/bin/env node
// Whether one send could carry both the trace's call counting and the CPU profile (issue 15): the story's
// server, probed as diagnose opens it, sampled during its cold traced run under count mode, then during a
// warm-up right after count mode, then during a timed run (the profile diagnose keeps today). Prints each
// function's share of the busy samples in the three profiles (self time, and total time for app frames)
// and the CPU of each send (/proc), so the distortion of count mode and of a first run after it is in
// figures, not assumed.
//   node bench/probe/count-mode-shares.mjs [--rows 10000] [--top 15]
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { processCpuMs } from './pin.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../..');
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000' },
    top: { type: 'string', default: '15' },
    // no: the traced run unsampled, as diagnose sends it today (its column is then empty)
    'profile-traced': { type: 'string', default: 'yes' },
    // held (default): the warm-up sent as diagnose sends it; send: as a traced run is (2 s of the target's CPU
    // inside an open profile window, 1 Dec 2026)
    'warmup-send': { type: 'string', default: 'held' },
  },
});
const profileTraced = values['profile-traced'] !== 'no';
const dist = (p) => import(pathToFileURL(join(root, 'packages/culprit/dist', p)).href);
const { openTarget } = await dist('target/open-target.js');
const { parseTraceArgs } = await dist('trace/cli-options.js');
const STORY = '/api/ephemera/1337/?img=2&expand=~all';
const file = join(here, '.data', `ephemera-${values.rows}.sqlite`);
const args = [
  STORY,
  '--',
  process.execPath,
  join(root, 'packages/ephemera/dist/cli.js'),
  'serve',
  '--port',
  '0',
  '--db',
  file,
  '--incident',
];
const options = parseTraceArgs(args, resolve(root, 'packages/ephemera'), 'diagnose');
const target = await openTarget({ ...options.target, enableScriptsEarly: true });
const p = target.probe;
const req = options.request;
const pid = target.info.pid;

/** Self ms per function key ("name url:line") over the samples, idle and program left out. */
function selfShares(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const { callFrame } = byId.get(id);
    const name = callFrame.functionName || '(anonymous)';
    if (name === '(idle)' || name === '(program)' || name === '(root)') return;
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    const key = `${name} ${callFrame.url.split('/').slice(-2).join('/')}:${callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + ms);
    busy += ms;
  });
  return { self, busy };
}

const cpu = () => processCpuMs(pid);
const profiles = {};
const cpuOf = {};
// the traced run as diagnose sends it, with the profiler running through it
await p.configureTrace({ queries: true, constructions: false, stacks: true });
await p.startCallCounts();
if (profileTraced) await p.startCpuProfile({ intervalUs: 1000 });
let c0 = cpu();
await target.send(req);
cpuOf.traced = cpu() - c0;
await p.takeCallCounts();
profiles.traced = profileTraced ? await p.stopCpuProfile() : { nodes: [], samples: [], timeDeltas: [] };
await p.stopCallCounts();
await p.configureTrace({ queries: true, constructions: false, stacks: false });
// the warm-up, in a window of its own; then the timed run in the window diagnose keeps
await p.startCpuProfile({ intervalUs: 1000 });
await p.startCpuWindow();
c0 = cpu();
const warm = values['warmup-send'] === 'held' ? await target.sendHeld(req) : await target.send(req);
cpuOf.warmup = cpu() - c0;
profiles.warmup = await p.stopCpuProfile();
if (values['warmup-send'] === 'held') await warm.record();
await p.configureTrace({ queries: false, constructions: false, stacks: false });
await p.startCpuProfile({ intervalUs: 1000 });
await target.send(req); // a warm-up as diagnose sends it (its samples dropped)
await p.startCpuWindow();
c0 = cpu();
const held = await target.sendHeld(req);
cpuOf.timed = cpu() - c0;
profiles.timed = await p.stopCpuProfile();
await held.record();
await target.close();

const shares = Object.fromEntries(Object.entries(profiles).map(([k, prof]) => [k, selfShares(prof)]));
const keys = [...shares.timed.self.entries()]
  .sort((a, b) => b[1] - a[1])
  .slice(0, Number(values.top))
  .map(([k]) => k);
const pct = (k, s) => ((100 * (s.self.get(k) ?? 0)) / Math.max(s.busy, 1e-9)).toFixed(1).padStart(6);
console.log(
  `rows ${values.rows}: target CPU per send (ms): traced ${cpuOf.traced}, warm-up ${cpuOf.warmup}, timed ${cpuOf.timed}`,
);
console.log(
  `busy sampled ms: traced ${shares.traced.busy.toFixed(0)}, warm-up ${shares.warmup.busy.toFixed(0)}, timed ${shares.timed.busy.toFixed(0)}`,
);
console.log('self share %: traced (count mode)  warm-up  timed   function');
for (const k of keys)
  console.log(`${pct(k, shares.traced)}              ${pct(k, shares.warmup)}  ${pct(k, shares.timed)}   ${k}`);
