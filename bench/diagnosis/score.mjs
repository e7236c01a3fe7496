#!/usr/bin/env node
// Scores `culprit diagnose` on the corpus in apps/: small services written
// apart from culprit's rules, most with one planted performance bug whose
// line apps/<name>/app.json names. Each app is diagnosed in command mode, as
// a user would (`culprit diagnose --json URL -- <start command>`), and passes
// when its top finding names the bug's line (±3) or, for a clean app, when
// no finding is a warning or worse.
//
//   node bench/diagnosis/score.mjs [--only name,name] [--skip-setup] [--runs N|auto] [--culprit path/to/bin/culprit.js] [--save-dir DIR]
//
// --save-dir DIR keeps each app's capture with its findings (DIR/<app>.json), to study offline how a
// change of the analysis would have judged the same runs.
//
// --runs auto passes no -n, as a user would: the passes stop early on a slow request.
//
// Needs the services of the machine (PostgreSQL, MariaDB) and installs the
// corpus's own dependencies (npm ci here) when they are missing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort, run } from './run-app.mjs';

const here = new URL('.', import.meta.url).pathname;
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
// another build (an older commit's worktree) to score side by side
const culprit = resolve(value('--culprit') ?? resolve(here, '../../packages/culprit/bin/culprit.js'));
const LINE_TOLERANCE = 3;

const only = value('--only')?.split(',');
const runs = value('--runs') ?? '3';
const saveDir = value('--save-dir');
if (saveDir) mkdirSync(resolve(saveDir), { recursive: true });

if (!existsSync(join(here, 'node_modules'))) {
  process.stderr.write('installing the corpus dependencies (npm ci in bench/diagnosis)…\n');
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit' });
  if (install.status !== 0) process.exit(1);
}

const relativeTo = (dir, file) => (file?.startsWith(`${dir}/`) ? file.slice(dir.length + 1) : file);

function judge(app, dir, diagnosis) {
  const findings = diagnosis?.findings ?? [];
  const top = findings[0];
  if (!app.bug) {
    const loud = findings.filter((f) => f.severity !== 'info');
    return { pass: loud.length === 0, falsePositives: loud };
  }
  const where = top?.location;
  const file = relativeTo(dir, where?.file?.replace(/^file:\/\//, ''));
  const pass = file === app.bug.file && Math.abs((where?.line ?? -99) - app.bug.line) <= LINE_TOLERANCE;
  return { pass, falsePositives: [] };
}

const apps = readdirSync(join(here, 'apps'))
  .filter((name) => existsSync(join(here, 'apps', name, 'app.json')))
  .filter((name) => !only || only.includes(name))
  .sort();
const results = [];
for (const name of apps) {
  const dir = join(here, 'apps', name);
  const app = JSON.parse(readFileSync(join(dir, 'app.json'), 'utf8'));
  const started = Date.now();
  if (!flag('--skip-setup') && app.setup) {
    const setup = await run(app.setup[0], app.setup.slice(1), { cwd: dir, timeoutMs: 240_000 });
    if (setup.code !== 0) {
      results.push({ name, app, error: `setup failed: ${setup.stderr.trim().split('\n').slice(-3).join(' | ')}` });
      process.stdout.write(`${name}: setup failed\n`);
      continue;
    }
  }
  const port = await freePort();
  const [method, path] = app.request.split(' ');
  const request = ['-X', method];
  for (const [header, text] of Object.entries(app.headers ?? {})) request.push('-H', `${header}: ${text}`);
  if (app.body !== undefined) request.push('-d', typeof app.body === 'string' ? app.body : JSON.stringify(app.body));
  if (method !== 'GET' && method !== 'HEAD') request.push('--repeat-unsafe');
  const argv = [
    culprit,
    'diagnose',
    '--json',
    ...(runs === 'auto' ? [] : ['-n', runs]),
    ...(saveDir ? ['--save', join(resolve(saveDir), `${name}.json`)] : []),
    ...request,
    `http://127.0.0.1:${port}${path}`,
    '--',
    ...app.start,
  ];
  const diagnosed = await run(process.execPath, argv, { cwd: dir, env: { ...process.env, PORT: String(port) } });
  const seconds = (Date.now() - started) / 1000;
  let diagnosis;
  try {
    const parsed = JSON.parse(diagnosed.stdout);
    // builds before totals printed a bare array of findings
    diagnosis = Array.isArray(parsed) ? { findings: parsed } : parsed;
  } catch {
    diagnosis = undefined;
  }
  const verdict = diagnosis ? judge(app, dir, diagnosis) : { pass: false, falsePositives: [] };
  const top = diagnosis?.findings?.[0];
  results.push({
    name,
    app,
    seconds,
    exit: diagnosed.code,
    ...verdict,
    top: top && { rule: top.rule, severity: top.severity, title: top.title, location: top.location },
    totals: diagnosis?.totals,
    ...(diagnosis ? {} : { error: diagnosed.stderr.trim().split('\n').slice(-3).join(' | ') }),
  });
  const expected = app.bug ? `${app.bug.kind} ${app.bug.file}:${app.bug.line}` : 'clean';
  const said = top
    ? `${top.rule} ${relativeTo(dir, top.location?.file) ?? '(no line)'}:${top.location?.line ?? ''}`
    : diagnosis
      ? 'no findings'
      : 'ERROR';
  process.stdout.write(
    `${verdict.pass ? 'PASS' : 'FAIL'}  ${name.padEnd(40)} ${seconds.toFixed(0).padStart(4)} s  expected ${expected}  ·  top: ${said}\n`,
  );
  if (!diagnosis) process.stdout.write(`      ${results.at(-1).error}\n`);
}

const buggy = results.filter((r) => r.app.bug);
const clean = results.filter((r) => !r.app.bug);
const passed = results.filter((r) => r.pass).length;
const falsePositives = clean.flatMap((r) =>
  (r.falsePositives ?? []).map((f) => `${r.name}: [${f.severity}] ${f.title}`),
);
process.stdout.write(
  `\nbuggy apps whose top finding names the line: ${buggy.filter((r) => r.pass).length}/${buggy.length}\n`,
);
process.stdout.write(`clean apps with no warning or worse: ${clean.filter((r) => r.pass).length}/${clean.length}\n`);
process.stdout.write(`false positives: ${falsePositives.length}${falsePositives.map((f) => `\n  ${f}`).join('')}\n`);
process.stdout.write(`score: ${passed}/${results.length}\n`);
mkdirSync(join(here, 'results'), { recursive: true });
const file = join(here, 'results', `score-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`details: ${file}\n`);
process.exit(passed === results.length ? 0 : 1);
