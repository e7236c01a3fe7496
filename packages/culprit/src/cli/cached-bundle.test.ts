/**
 * The CommonJS bundle's loader (Node 20's code cache for the CLI): one cache entry per command line shape,
 * made at the exit of a command that ran to its end and read by the next one; the bundle's `import()` and
 * `import.meta.resolve` work inside its vm.Script.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { commandEntry } from './cached-bundle.js';

// the built file: the child processes run plain node
const loader = new URL('../../dist/cli/cached-bundle.js', import.meta.url).href;

test('each command line shape has its own cache entry: the command, and whether it asks for help', () => {
  const dir = mkdtempSync(join(tmpdir(), 'culprit-cached-bundle-'));
  const file = join(dir, 'main.cjs');
  writeFileSync(file, 'module.exports = {};\n');
  const diagnose = commandEntry(file, ['diagnose', 'http://localhost:3000/', '--', 'node', 'server.js']);
  assert.equal(commandEntry(file, ['diagnose', '-n', '1', 'http://x/']), diagnose);
  assert.notEqual(commandEntry(file, ['diagnose', '--help']), diagnose);
  assert.notEqual(commandEntry(file, ['trace', 'http://x/']), diagnose);
  assert.equal(commandEntry(file, ['../../etc/passwd']), commandEntry(file, ['--version']));
  assert.match(commandEntry(file, ['../../etc/passwd']), /^main\.cjs\.other-[0-9a-f]{8}\.v8$/);
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a bundle through the loader in a child process (the entry is written at its exit). */
function runBundle(file: string, cache: string, argv: string[]): { status: number | null; stdout: string } {
  const script = [
    `import { requireCachedBundle } from ${JSON.stringify(loader)};`,
    `const { main } = requireCachedBundle(${JSON.stringify(pathToFileURL(file).href)}, {`,
    `  argv: ${JSON.stringify(argv)}, importResolve: import.meta.resolve });`,
    'process.exitCode = await main();',
  ].join('\n');
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, CULPRIT_CODE_CACHE: cache },
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout };
}

test('the entry is made at the exit of a command that ran to its end, then read, not made again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'culprit-cached-bundle-'));
  const cache = join(dir, 'cache');
  mkdirSync(cache, { mode: 0o700 });
  const file = join(dir, 'main.cjs');
  writeFileSync(join(dir, 'leaf.mjs'), 'export const leaf = "imported";\n');
  // what the bundle does in a vm.Script: `import()` through the wrapper, import.meta.resolve from the binary
  writeFileSync(
    file,
    [
      'exports.main = async () => {',
      '  const { leaf } = await __culpritImport("./leaf.mjs");',
      '  const resolve = globalThis[Symbol.for("culprit.cli.importResolve")];',
      `  console.log(leaf, resolve("node:fs"), __filename === ${JSON.stringify(file)});`,
      '  return 0;',
      '};',
    ].join('\n'),
  );
  const first = runBundle(file, cache, ['diagnose', 'http://x/']);
  assert.equal(first.status, 0);
  assert.equal(first.stdout, 'imported node:fs true\n');
  const entries = readdirSync(cache);
  assert.deepEqual(entries, [commandEntry(file, ['diagnose'])]);
  const made = statSync(join(cache, entries[0] as string)).mtimeMs;
  const second = runBundle(file, cache, ['diagnose', 'http://x/']);
  assert.equal(second.stdout, 'imported node:fs true\n');
  // V8 took the entry: a rejected one would be made again at this exit
  assert.equal(statSync(join(cache, entries[0] as string)).mtimeMs, made);
  rmSync(dir, { recursive: true, force: true });
});

test('a usage error (exit 2) leaves no entry: a command that stopped early compiled little of its code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'culprit-cached-bundle-'));
  const cache = join(dir, 'cache');
  mkdirSync(cache, { mode: 0o700 });
  const file = join(dir, 'main.cjs');
  writeFileSync(file, 'exports.main = async () => 2;\n');
  assert.equal(runBundle(file, cache, ['diagnose', '--bogus']).status, 2);
  assert.deepEqual(readdirSync(cache), []);
  rmSync(dir, { recursive: true, force: true });
});

test('a cache folder others may write is not used', () => {
  const dir = mkdtempSync(join(tmpdir(), 'culprit-cached-bundle-'));
  const cache = join(dir, 'cache');
  mkdirSync(cache);
  execFileSync('chmod', ['0777', cache]);
  const file = join(dir, 'main.cjs');
  writeFileSync(file, 'exports.main = async () => 0;\n');
  assert.equal(runBundle(file, cache, ['diagnose']).status, 0);
  assert.deepEqual(readdirSync(cache), []);
  rmSync(dir, { recursive: true, force: true });
});
