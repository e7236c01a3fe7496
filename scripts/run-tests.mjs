#!/usr/bin/env node
// Finds every *.test.ts in the workspaces and runs them with Node's own test
// runner (its closing summary states passed/failed counts). Node 20's --test
// takes no globs, hence the file walk. Pass paths or substrings to narrow.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const skip = new Set(['node_modules', 'dist', 'viewer-dist', '.git', 'test-artifacts']);

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (/\.test\.ts$/.test(entry.name)) yield path;
  }
}

const filters = process.argv.slice(2);
const files = [...walk(join(root, 'packages')), ...walk(join(root, 'fixtures'))]
  .map((file) => relative(root, file))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) {
  console.error(`run-tests: no test files match ${filters.join(' ') || '(all)'}`);
  process.exit(2);
}
// Node's default on 2 cores is one file at a time, yet most test files spend their time waiting on
// the servers and CLIs they start: three at once took the suite from ~600 s to ~220 s here. Test files
// keep apart on their own (ports 0, tables named per file, temp dirs). CULPRIT_TEST_CONCURRENCY overrides.
const concurrency = Number(process.env.CULPRIT_TEST_CONCURRENCY ?? 3);
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--enable-source-maps',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    ...files,
  ],
  { cwd: root, stdio: 'inherit' },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
