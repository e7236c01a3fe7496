#!/usr/bin/env node
// Finds every *.test.ts in the workspaces and runs them with Node's own test
// runner (its closing summary states passed/failed counts). Node 20's --test
// takes no globs, hence the file walk. Pass paths or substrings to narrow.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
// Files that fail beside others get one more run on their own, one at a time. Under CI's load (three
// suites on 2 cores) a few timing-bound tests (sampling, record deadlines) lost the race once per run
// or two; a file that fails alone as well still fails the run, and every retry is printed by name.
const retryLimit = Number(process.env.CULPRIT_TEST_RETRY_FILES ?? 3);

const firstRun = await runFiles(files, concurrency);
if (firstRun.code === 0) process.exit(0);
const failed = firstRun.failedFiles;
if (failed.length === 0 || failed.length > retryLimit) process.exit(firstRun.code);
console.log(`\nrun-tests: ${failed.length} file(s) failed beside others; running them again, alone:`);
for (const file of failed) console.log(`run-tests:   ${file}`);
const retry = await runFiles(failed, 1);
if (retry.code !== 0) {
  console.log(`run-tests: failed again alone: ${retry.failedFiles.join(', ') || 'see above'}`);
  process.exit(retry.code);
}
console.log(`run-tests: passed alone (they failed under load in the full run): ${failed.join(', ')}`);
process.exit(0);

/** One node:test run over the files; resolves with its exit code and the files that had a failure. */
function runFiles(list, filesAtOnce) {
  const scratch = mkdtempSync(join(tmpdir(), 'culprit-run-tests-'));
  const failedPath = join(scratch, 'failed');
  return new Promise((resolvePromise) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--enable-source-maps',
        '--test',
        `--test-concurrency=${filesAtOnce}`,
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        `--test-reporter=${join(root, 'scripts/failed-files-reporter.mjs')}`,
        '--test-reporter-destination=stderr',
        `--test-reporter=${join(root, 'scripts/slowest-files-reporter.mjs')}`,
        '--test-reporter-destination=stdout',
        ...list,
      ],
      { cwd: root, stdio: 'inherit', env: { ...process.env, CULPRIT_FAILED_FILES: failedPath } },
    );
    child.on('exit', (code, signal) => {
      const failedFiles = existsSync(failedPath)
        ? readFileSync(failedPath, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((file) => relative(root, file))
        : [];
      rmSync(scratch, { recursive: true, force: true });
      resolvePromise({ code: code ?? (signal ? 1 : 0), failedFiles });
    });
  });
}
