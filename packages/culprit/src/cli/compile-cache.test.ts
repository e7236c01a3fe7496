/**
 * The CLI's own process compiles culprit's modules through V8's compile cache on Node 22+ (compile-cache.ts):
 * in culprit's private cache folder only, never passed on to the processes it starts, off when asked.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { commandEntry } from './cached-bundle.js';

const packageRoot = new URL('../../', import.meta.url);
const bin = new URL('bin/culprit.js', packageRoot).pathname;
const compileCache = new URL('dist/cli/compile-cache.js', packageRoot).href;
const dir = mkdtempSync(join(tmpdir(), 'culprit-cli-compile-cache-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const hasApi = Number(process.versions.node.split('.')[0]) >= 22;

const env = (folder: string): NodeJS.ProcessEnv => {
  const { NODE_COMPILE_CACHE: _own, NODE_DISABLE_COMPILE_CACHE: _off, ...rest } = process.env;
  return { ...rest, CULPRIT_CODE_CACHE: folder };
};
/** The files Node's compile cache wrote under a folder (it makes a subfolder per Node version). */
const cached = (folder: string): string[] =>
  existsSync(folder)
    ? readdirSync(folder, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => entry.name)
    : [];

test("a command fills the cache folder: Node 22+'s compile cache, or on Node 20 the CommonJS bundle's entry", () => {
  const folder = join(dir, 'private');
  const run = spawnSync(process.execPath, [bin, '--version'], { env: env(folder), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  if (hasApi) assert.ok(cached(folder).length > 0, 'the bundle was compiled into the cache');
  else assert.deepEqual(cached(folder), [commandEntry(new URL('dist/cli-bundle/main.cjs', packageRoot).pathname, [])]);
  // a second start reads it and prints the same
  const again = spawnSync(process.execPath, [bin, '--version'], { env: env(folder), encoding: 'utf8' });
  assert.equal(again.stdout, run.stdout);
});

test('a folder others may write is left alone, and CULPRIT_CODE_CACHE=0 turns the cache off', () => {
  const shared = join(dir, 'shared');
  mkdirSync(shared);
  chmodSync(shared, 0o777);
  assert.equal(spawnSync(process.execPath, [bin, '--version'], { env: env(shared) }).status, 0);
  assert.deepEqual(cached(shared), []);
  const probe = `import(${JSON.stringify(compileCache)}).then((m) => console.log(String(m.enableOwnCompileCache())))`;
  const off = spawnSync(process.execPath, ['-e', probe], { env: env('0'), encoding: 'utf8' });
  assert.equal(off.stdout.trim(), 'undefined', off.stderr);
});

test('the processes the CLI starts do not inherit the cache', { skip: !hasApi && 'Node 20: no compile cache' }, () => {
  const folder = join(dir, 'children');
  const probe = `import(${JSON.stringify(compileCache)}).then((m) => {
    const used = m.enableOwnCompileCache();
    const child = require('node:child_process').spawnSync(process.execPath, ['-p', 'process.env.NODE_COMPILE_CACHE ?? "none"'], { encoding: 'utf8' });
    console.log(JSON.stringify({ used, child: child.stdout.trim() }));
  })`;
  const run = spawnSync(process.execPath, ['-e', probe], { env: env(folder), encoding: 'utf8' });
  assert.deepEqual(JSON.parse(run.stdout), { used: folder, child: 'none' });
});
