#!/usr/bin/env node
// Scores `culprit diagnose` on a held-out corpus kept outside this repository
// (a folder of apps written apart from culprit, one folder each with an
// app.json: { start, port?, request: "GET /path" | "/path", bug: { file, line, kind, also?: [{ file, line } | line] } | null }).
// Each app is started by culprit in command mode from its own folder with
// PORT set, as a user would run it; a buggy app is right when the top
// finding names the bug's file and line (±2), a clean app when no finding is
// a warning or worse.
//
//   node bench/diagnosis/corpus.mjs CORPUS_DIR [--only a,b] [--runs N] [--culprit path/to/bin/culprit.js] [--json FILE] [--skip-setup]
//
// Apps with a package.json and no node_modules get `npm install` first; an app.json `setup` command
// (schema and seed data) runs before each app unless --skip-setup.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort, run } from './run-app.mjs';

const here = new URL('.', import.meta.url).pathname;
const args = process.argv.slice(2);
const value = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const valued = new Set(['--only', '--runs', '--culprit', '--json']);
const positional = args.filter((arg, i) => !arg.startsWith('--') && !valued.has(args[i - 1] ?? ''));
if (args.includes('--help') || positional.length !== 1) {
  process.stdout.write(
    'usage: node bench/diagnosis/corpus.mjs CORPUS_DIR [--only a,b] [--runs N] [--culprit bin/culprit.js] [--json FILE] [--skip-setup]\n',
  );
  process.exit(args.includes('--help') ? 0 : 2);
}
const corpus = resolve(positional[0]);
const culprit = resolve(value('--culprit') ?? resolve(here, '../../packages/culprit/bin/culprit.js'));
const only = value('--only')?.split(',');
const runs = value('--runs') ?? '3';
const LINE_TOLERANCE = 2;

const relativeTo = (dir, file) => {
  const path = file?.replace(/^file:\/\//, '');
  return path?.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : path;
};

function judge(app, dir, findings) {
  if (!app.bug) {
    const loud = findings.filter((f) => f.severity !== 'info');
    return { pass: loud.length === 0, loud };
  }
  const where = findings[0]?.location;
  const file = relativeTo(dir, where?.file);
  // `also`: other lines the app's author would equally accept (the schema line of a missing index)
  // `also` entries are { file, line }, or bare line numbers in the bug's own file
  const accepted = [
    app.bug,
    ...(app.bug.also ?? []).map((spot) => (typeof spot === 'number' ? { file: app.bug.file, line: spot } : spot)),
  ];
  const pass = accepted.some(
    (spot) => file === spot.file && Math.abs((where?.line ?? -99) - spot.line) <= LINE_TOLERANCE,
  );
  return { pass, loud: [] };
}

/** A command as argv, or a string for the shell (also a one-element array holding a whole command line). */
function commandOf(spec) {
  if (Array.isArray(spec) && !(spec.length === 1 && /\s/.test(spec[0]))) return spec;
  return ['sh', '-c', String(Array.isArray(spec) ? spec[0] : spec)];
}

const names = readdirSync(corpus)
  .filter((name) => existsSync(join(corpus, name, 'app.json')))
  .filter((name) => !only || only.includes(name))
  .sort();
const results = [];
for (const name of names) {
  const dir = join(corpus, name);
  const app = JSON.parse(readFileSync(join(dir, 'app.json'), 'utf8'));
  if (existsSync(join(dir, 'package.json')) && !existsSync(join(dir, 'node_modules'))) {
    spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'ignore' });
  }
  if (app.setup && !args.includes('--skip-setup')) {
    const command = commandOf(app.setup);
    const setup = await run(command[0], command.slice(1), { cwd: dir, timeoutMs: 240_000 });
    if (setup.code !== 0) {
      process.stdout.write(`ERROR  ${name}: setup failed: ${setup.stderr.trim().split('\n').slice(-3).join(' | ')}\n`);
      results.push({ name, bug: app.bug, pass: false, seconds: 0, error: `setup failed` });
      continue;
    }
  }
  const port = typeof app.port === 'number' ? app.port : await freePort();
  // `GET /path`, a bare path (GET), or { method, path }
  const spec = typeof app.request === 'object' ? app.request : String(app.request);
  const [method, path] =
    typeof spec === 'object'
      ? [spec.method ?? 'GET', spec.path ?? spec.url]
      : spec.startsWith('/')
        ? ['GET', spec]
        : spec.split(' ');
  const request = ['-X', method];
  // headers and body beside the request, or inside its { method, path } form
  const headers = { ...(app.headers ?? {}), ...(typeof spec === 'object' ? (spec.headers ?? {}) : {}) };
  const body = app.body ?? (typeof spec === 'object' ? spec.body : undefined);
  // an app.json body written as an object is JSON, whatever content type -d would send on its own
  if (body !== undefined && typeof body !== 'string' && !Object.keys(headers).some((h) => /^content-type$/i.test(h)))
    headers['content-type'] = 'application/json';
  for (const [header, text] of Object.entries(headers)) request.push('-H', `${header}: ${text}`);
  if (body !== undefined) request.push('-d', typeof body === 'string' ? body : JSON.stringify(body));
  if (method !== 'GET' && method !== 'HEAD') request.push('--repeat-unsafe');
  const start = commandOf(app.start);
  const started = Date.now();
  const diagnosed = await run(
    process.execPath,
    [culprit, 'diagnose', '--json', '-n', runs, ...request, `http://127.0.0.1:${port}${path}`, '--', ...start],
    { cwd: dir, env: { ...process.env, PORT: String(port) } },
  );
  let findings;
  try {
    const parsed = JSON.parse(diagnosed.stdout);
    findings = Array.isArray(parsed) ? parsed : parsed.findings;
  } catch {
    findings = undefined;
  }
  const verdict = findings ? judge(app, dir, findings) : { pass: false, loud: [] };
  const top = findings?.[0];
  const expected = app.bug ? `${app.bug.kind} ${app.bug.file}:${app.bug.line}` : 'clean';
  const said = top
    ? `${top.rule} ${relativeTo(dir, top.location?.file) ?? '(no line)'}:${top.location?.line ?? ''}`
    : findings
      ? 'no findings'
      : 'ERROR';
  const warned = app.bug ? '' : `  ·  warnings: ${verdict.loud.length === 0 ? 'none' : verdict.loud.length}`;
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(
    `${verdict.pass ? 'RIGHT' : 'WRONG'}  ${name.padEnd(32)} ${seconds.toFixed(0).padStart(4)} s  expected ${expected}  ·  top: ${said}${warned}\n`,
  );
  for (const f of verdict.loud) process.stdout.write(`       [${f.severity}] ${f.rule}: ${f.title}\n`);
  if (!findings) process.stdout.write(`       ${diagnosed.stderr.trim().split('\n').slice(-3).join(' | ')}\n`);
  results.push({
    name,
    bug: app.bug,
    pass: verdict.pass,
    seconds,
    top: top && { rule: top.rule, severity: top.severity, title: top.title, location: top.location },
    findings: findings?.map((f) => ({ rule: f.rule, severity: f.severity, title: f.title, location: f.location })),
    ...(findings ? {} : { error: diagnosed.stderr.trim().split('\n').slice(-5).join('\n') }),
  });
}

const buggy = results.filter((r) => r.bug);
const clean = results.filter((r) => !r.bug);
process.stdout.write(
  `\nbuggy apps whose top finding names the line: ${buggy.filter((r) => r.pass).length}/${buggy.length}\n`,
);
process.stdout.write(`clean apps with no warning or worse: ${clean.filter((r) => r.pass).length}/${clean.length}\n`);
process.stdout.write(`score: ${results.filter((r) => r.pass).length}/${results.length}\n`);
const json = value('--json');
if (json) writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
