#!/usr/bin/env node
// Where a full `culprit diagnose` of the story request spends its time
// (issue 15): the same steps the command runs (open the target, the
// investigation, the analysis, the JSON written), with every request sent
// (traced sends, and the warm-up and timed runs as `(held)`: their records
// come later)
// and every probe call timed, wall and CPU, culprit's and the target's
// (/proc). One size per run:
//   node bench/probe/diagnose-phases.mjs [--rows 100000] [-n N (default: as diagnose without -n)] [--culprit DIR] [--cwd DIR]
// The archive comes from diagnose-scale.mjs's seeding (bench/probe/.data/).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { processCpuMs } from './pin.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../..');
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    n: { type: 'string', short: 'n' },
    culprit: { type: 'string', default: join(root, 'packages/culprit') },
    cwd: { type: 'string', default: join(root, 'packages/ephemera') },
  },
});
const file = join(here, '.data', `ephemera-${values.rows}.sqlite`);
if (!existsSync(`${file}.done`)) {
  console.error(`diagnose-phases: ${file} is not seeded; run diagnose-scale.mjs --sizes ${values.rows} first`);
  process.exit(2);
}
const dist = (path) => import(pathToFileURL(join(values.culprit, 'dist', path)).href);
const { openTarget } = await dist('target/open-target.js');
const { runInvestigation } = await dist('investigate/run-investigation.js');
const { diagnoseCapture } = await dist('cli/commands/diagnose.js');
const { projectSources, targetProjectRoots } = await dist('investigate/project-sources.js');
const { projectSchemaFiles } = await dist('investigate/project-files.js');
const { parseTraceArgs } = await dist('trace/cli-options.js');

const STORY = '/api/ephemera/1337/?img=2&expand=~all';
const ephemera = join(root, 'packages/ephemera/dist/cli.js');
// as the command runs: without -n, the passes stop early on a slow request
const budgeted = values.n === undefined;
const args = [
  '-n',
  values.n ?? '3',
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
];

const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
let pid;
let lastTargetCpu = 0;
/** The target's CPU so far; once it has exited, what it had used when last read. */
const targetCpuMs = () => {
  try {
    if (pid) lastTargetCpu = processCpuMs(pid);
  } catch {}
  return lastTargetCpu;
};
const steps = [];
/** Calls of one name in flight at once (scriptSource's, in parallel) are timed as one span. */
const inFlight = new Map();
/** Times `fn`, wall and both CPUs, as one step named `name`. */
async function step(name, fn) {
  let span = inFlight.get(name);
  if (!span) {
    span = { name, calls: 0, open: 0, w0: performance.now(), c0: ownCpuMs(), t0: targetCpuMs() };
    inFlight.set(name, span);
  }
  span.calls++;
  span.open++;
  try {
    return await fn();
  } finally {
    if (--span.open === 0) {
      inFlight.delete(name);
      steps.push({
        name,
        calls: span.calls,
        wall: performance.now() - span.w0,
        own: ownCpuMs() - span.c0,
        target: targetCpuMs() - span.t0,
      });
    }
  }
}

/** Times a synchronous `fn` as one step. */
function stepSync(name, fn) {
  const w0 = performance.now();
  const c0 = ownCpuMs();
  try {
    return fn();
  } finally {
    steps.push({ name, calls: 1, wall: performance.now() - w0, own: ownCpuMs() - c0, target: 0 });
  }
}

// as the command runs in the user's project: ephemera's folder (--cwd . for the repository's root)
const options = parseTraceArgs(args, resolve(values.cwd), 'diagnose');
const started = performance.now();
// as the command does: the Debugger domain is enabled while culprit waits for more listening ports
const target = await step('open target (start-up)', () => openTarget({ ...options.target, enableScriptsEarly: true }));
pid = target.info.pid;
steps.push({ name: '(target start-up CPU)', calls: 1, wall: 0, own: 0, target: targetCpuMs() });
let sends = 0;
const send = target.send.bind(target);
target.send = (request, opts) => step(`send #${++sends}`, () => send(request, opts));
// the warm-up and timed runs go through sendHeld: each one a step of its own too (its wall as the CLI saw it)
const sendHeld = target.sendHeld.bind(target);
target.sendHeld = (request, opts) => step(`send #${++sends} (held)`, () => sendHeld(request, opts));
for (const method of Object.keys(target.probe)) {
  const original = target.probe[method];
  if (typeof original !== 'function') continue;
  target.probe[method] = (...a) => step(`probe.${method}`, () => original.apply(target.probe, a));
}
const readSource = projectSources(targetProjectRoots(options.target));
let capture;
let loaded;
let closing;
try {
  capture = await step('investigation (all)', () =>
    runInvestigation(target, {
      request: options.request,
      count: options.count,
      budgeted,
      keepParams: false,
      profile: true,
      intervalUs: 1000,
      commandLine: 'diagnose',
      version: 'bench',
    }),
  );
  // as the command asks before the target closes: the files the server ran, when a query has its plan
  const planned = capture.requests.some((request) => request.queries.some((query) => query.plan !== undefined));
  if (planned) loaded = await target.probe.loadedFiles?.().catch(() => undefined);
  // as the command does: the target stops beside the analysis, awaited before the output
  closing = step('close target (beside the analysis)', () => target.close());
} finally {
  if (!closing) await target.close();
}
// the schema: the project's files listed and read (the command's cwd is this script's, as --cwd gives it)
const roots = targetProjectRoots(options.target);
const diagnosed = await step('analysis (diagnoseCapture)', () =>
  diagnoseCapture(
    capture,
    readSource,
    () => stepSync('schema files listed', () => projectSchemaFiles(roots)),
    loaded ? new Set(loaded) : undefined,
  ),
);
await closing;
const json = await step('JSON.stringify (--save)', () => JSON.stringify(diagnosed));
const total = performance.now() - started;

// the sends in order, then the probe calls folded by name
const folded = new Map();
for (const s of steps) {
  const key = s.name;
  const row = folded.get(key) ?? { name: key, count: 0, wall: 0, own: 0, target: 0 };
  row.count += s.calls;
  row.wall += s.wall;
  row.own += s.own;
  row.target += s.target;
  folded.set(key, row);
}
console.log(
  `diagnose phases, ${values.rows} rows, -n ${values.n ?? '3 (budgeted)'}: ${total.toFixed(0)} ms wall in all`,
);
console.log('step                             calls   wall ms  culprit CPU  target CPU');
for (const row of folded.values()) {
  console.log(
    `${row.name.padEnd(32)} ${String(row.count).padStart(5)} ${row.wall.toFixed(0).padStart(9)} ${row.own.toFixed(0).padStart(12)} ${row.target.toFixed(0).padStart(11)}`,
  );
}
console.log(`capture JSON: ${(json.length / 1024).toFixed(0)} KB`);
for (const f of diagnosed.findings ?? []) console.log(`finding: ${f.rule} ${f.title}`);
for (const note of diagnosed.notes ?? []) console.log(`note: ${note}`);
