#!/usr/bin/env node
// The story, replayed on the built-in demo (`npm run demo`):
//   1. seed ephemera (a postcard archive) once;
//   2. `culprit diagnose` the story's request with the leftover debug code on:
//      it names the file and line;
//   3. prove the fix: `culprit bench` the request with the code on and off,
//      then `culprit compare` says how much faster, with a confidence interval.
// DEMO_COUNT sets the archive size (default 30,000 postcards; the story's had 231,590).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const count = Number(process.env.DEMO_COUNT ?? 30_000);
const outDir = join(root, '.culprit', 'demo');
const db = join(outDir, `ephemera-${count}.sqlite`);
const culprit = join(root, 'packages/culprit/bin/culprit.js');
const ephemera = join(root, 'packages/ephemera/bin/ephemera.js');
const storyPath = '/api/ephemera/13373/?img=2&expand=~all&referrer=/ephemera/13373/';

function step(title) {
  process.stdout.write(`\n\x1b[1m== ${title}\x1b[0m\n`);
}

function runOrExit(command, args, env = {}) {
  process.stdout.write(`$ ${[command === process.execPath ? 'node' : command, ...args].join(' ')}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    process.stderr.write(`demo: step failed with exit code ${result.status}\n`);
    process.exit(result.status ?? 1);
  }
}

/** Starts `ephemera serve` and resolves with its base URL and a stop function. */
function serve(incident) {
  const args = [ephemera, 'serve', '--port', '0', '--db', db, ...(incident ? ['--incident'] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (match) resolve({ url: match[1], stop: () => child.kill() });
    });
    child.on('exit', (code) => reject(new Error(`ephemera serve exited with ${code} before listening`)));
  });
}

mkdirSync(outDir, { recursive: true });
if (!existsSync(db)) {
  step(`Seeding a postcard archive of ${count.toLocaleString('en-US')} postcards (once)`);
  runOrExit(process.execPath, [ephemera, 'seed', '--count', String(count), '--db', db]);
}
if (count < 13_373) {
  process.stderr.write('demo: DEMO_COUNT must be at least 13373 (the story fetches postcard 13373)\n');
  process.exit(2);
}

step('Diagnose the story request, leftover debug code on (EPHEMERA_INCIDENT=1)');
const report = join(outDir, 'report.html');
runOrExit(
  process.execPath,
  [
    culprit,
    'diagnose',
    '--app',
    'packages/ephemera/src/app.ts',
    'GET',
    storyPath,
    '--html',
    report,
    '--save',
    join(outDir, 'capture.json'),
  ],
  { EPHEMERA_DB: db, EPHEMERA_INCIDENT: '1' },
);

step('Prove the fix: the same request with the code on, then off');
const before = join(outDir, 'before.json');
const after = join(outDir, 'after.json');
for (const [incident, file] of [
  [true, before],
  [false, after],
]) {
  const server = await serve(incident);
  try {
    runOrExit(process.execPath, [
      culprit,
      'bench',
      '-n',
      '20',
      '-c',
      '1',
      '--warmup',
      '2',
      '--save',
      file,
      `${server.url}${storyPath}`,
    ]);
  } finally {
    server.stop();
  }
}
runOrExit(process.execPath, [culprit, 'compare', before, after]);

step('Done');
process.stdout.write(`HTML report: ${report}\nOpen it, or: npx culprit view ${join(outDir, 'capture.json')}\n`);
