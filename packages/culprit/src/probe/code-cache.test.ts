import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { probeEntryUrl } from '../target/probe-paths.js';
import { cachedRequire, cacheFolder, entryName, isPrivateFolder } from './code-cache.js';

const dir = mkdtempSync(join(tmpdir(), 'culprit-code-cache-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the cache folder: CULPRIT_CODE_CACHE, else a folder per user in the temporary folder; off when asked', () => {
  const rows: Array<[NodeJS.ProcessEnv, number | undefined, string | undefined]> = [
    [{}, 1000, '/tmp/culprit-code-cache-1000'],
    [{ TMPDIR: '/var/tmp/' }, 1000, '/var/tmp/culprit-code-cache-1000'],
    [{ TMPDIR: '/' }, 0, '//culprit-code-cache-0'],
    [{}, undefined, undefined],
    [{ CULPRIT_CODE_CACHE: '/data/cc' }, undefined, '/data/cc'],
    [{ CULPRIT_CODE_CACHE: '/data/cc' }, 1000, '/data/cc'],
    [{ CULPRIT_CODE_CACHE: '' }, 1000, undefined],
    [{ CULPRIT_CODE_CACHE: '0' }, 1000, undefined],
    [{ CULPRIT_CODE_CACHE: 'off' }, 1000, undefined],
    [{ NODE_DISABLE_COMPILE_CACHE: '1' }, 1000, undefined],
    [{ NODE_DISABLE_COMPILE_CACHE: '1', CULPRIT_CODE_CACHE: '/data/cc' }, 1000, undefined],
  ];
  for (const [env, uid, expected] of rows) assert.equal(cacheFolder(env, uid), expected, JSON.stringify([env, uid]));
});

test('code is read only from a real folder of this user that no one else may write', () => {
  const folder = { isDirectory: true, isSymbolicLink: false, uid: 1000, mode: 0o40700 };
  assert.equal(isPrivateFolder(folder, 1000), true);
  assert.equal(isPrivateFolder({ ...folder, mode: 0o40755 }, 1000), true);
  assert.equal(isPrivateFolder({ ...folder, mode: 0o40775 }, 1000), false);
  assert.equal(isPrivateFolder({ ...folder, mode: 0o41777 }, 1000), false);
  assert.equal(isPrivateFolder({ ...folder, uid: 0 }, 1000), false);
  assert.equal(isPrivateFolder({ ...folder, isSymbolicLink: true }, 1000), false);
  assert.equal(isPrivateFolder({ ...folder, isDirectory: false }, 1000), false);
});

test('an entry is named by the file, its size and mtime, and the Node version', () => {
  const name = entryName('/x/dist/probe/serve.cjs', 100, 5, 'v24.1.0');
  assert.match(name, /^serve\.cjs-[0-9a-f]{8}\.v8$/);
  assert.equal(entryName('/x/dist/probe/serve.cjs', 100, 5, 'v24.1.0'), name);
  for (const other of [
    entryName('/y/dist/probe/serve.cjs', 100, 5, 'v24.1.0'),
    entryName('/x/dist/probe/serve.cjs', 101, 5, 'v24.1.0'),
    entryName('/x/dist/probe/serve.cjs', 100, 6, 'v24.1.0'),
    entryName('/x/dist/probe/serve.cjs', 100, 5, 'v22.1.0'),
  ]) {
    assert.notEqual(other, name);
  }
});

// a bundle as the build leaves it (scripts/bundle-probe-cjs.mjs): a relative require of another twin, an import()
// routed through the wrapper's __culpritImport, a module-level state every require must share
const bundles = join(dir, 'bundles');
mkdirSync(bundles);
writeFileSync(join(bundles, 'leaf.mjs'), 'export const leaf = "leaf";\n');
writeFileSync(join(bundles, 'part.cjs'), 'exports.state = { loads: 0 };\n');
writeFileSync(
  join(bundles, 'main.cjs'),
  `"use strict";
   const part = require("./part.cjs");
   part.state.loads += 1;
   exports.part = part;
   exports.self = this === module.exports;
   exports.leaf = () => (typeof __culpritImport === "function" ? __culpritImport : (specifier) => import(specifier))("./leaf.mjs");
   exports.path = require("node:path").basename(__filename);
  `,
);

test('culprit`s files load through the cache once, share their state with require, and import() relative to themselves', async () => {
  const folder = join(dir, 'in-process');
  const saved = process.env.CULPRIT_CODE_CACHE;
  process.env.CULPRIT_CODE_CACHE = folder;
  try {
    const entry = join(bundles, 'entry.cjs');
    const load = cachedRequire(entry, createRequire(entry));
    const main = load('./main.cjs') as {
      part: { state: { loads: number } };
      self: boolean;
      leaf(): Promise<{ leaf: string }>;
      path: string;
    };
    assert.equal(main.self, true);
    assert.equal(main.path, 'main.cjs');
    assert.equal((await main.leaf()).leaf, 'leaf');
    assert.equal(load('./main.cjs'), main);
    assert.equal(createRequire(entry)('./main.cjs'), main, 'a later require gets the same module');
    assert.equal(createRequire(entry)('./part.cjs'), main.part, 'and the files it required');
    assert.equal(main.part.state.loads, 1);
    assert.equal(statSync(folder).mode & 0o777, 0o700);
    // no exit here: the entries are written a second after their file loaded, a file loaded later too
    await new Promise((resolve) => setTimeout(resolve, 1300));
    assert.deepEqual(
      readdirSync(folder)
        .map((name) => name.slice(0, name.indexOf('-')))
        .sort(),
      ['main.cjs', 'part.cjs'],
    );
    writeFileSync(join(bundles, 'late.cjs'), 'exports.late = true;\n');
    assert.deepEqual(load('./late.cjs'), { late: true });
    await new Promise((resolve) => setTimeout(resolve, 1300));
    assert.equal(readdirSync(folder).length, 3);
  } finally {
    if (saved === undefined) delete process.env.CULPRIT_CODE_CACHE;
    else process.env.CULPRIT_CODE_CACHE = saved;
  }
});

// the built probe, preloaded as in the target's tree, in a server that listens and closes
const probe = fileURLToPath(new URL('./index.cjs', probeEntryUrl()));
writeFileSync(
  join(dir, 'server.cjs'),
  `const server = require('node:http').createServer(() => {});
   server.listen(0, '127.0.0.1', () => setTimeout(() => { console.log('served'); server.close(); }, 50));`,
);

function serve(cacheDir: string): void {
  const out = spawnSync(process.execPath, ['server.cjs'], {
    cwd: dir,
    env: {
      ...process.env,
      NODE_OPTIONS: `--require=${probe}`,
      CULPRIT_PROBE_SOCKET: join(dir, 'no-such.sock'),
      CULPRIT_CODE_CACHE: cacheDir,
    },
    encoding: 'utf8',
  });
  assert.equal(out.status, 0, out.stderr);
  assert.equal(out.stdout.trim(), 'served');
  assert.equal(out.stderr, '');
}

/** Each entry's inode: a rejected entry is written anew (renamed into place), an accepted one is left alone. */
const inodes = (folder: string): Map<string, number> =>
  new Map(readdirSync(folder).map((name) => [name, statSync(join(folder, name)).ino]));

test('the probe caches its start and server side, reads the entries at the next start and remakes a bad one', () => {
  const folder = join(dir, 'probe-cache');
  serve(folder);
  const first = inodes(folder);
  const names = [...first.keys()].map((name) => name.replace(/-[0-9a-f]{8}\.v8$/, ''));
  assert.deepEqual(names.sort(), ['normalize-sql.cjs', 'serve.cjs', 'start.cjs']);
  serve(folder);
  assert.deepEqual(inodes(folder), first, 'every entry was accepted');
  const serveEntry = [...first.keys()].find((name) => name.startsWith('serve.cjs'));
  assert.ok(serveEntry);
  writeFileSync(join(folder, serveEntry), 'not V8 code');
  serve(folder);
  const after = inodes(folder);
  assert.notEqual(after.get(serveEntry), first.get(serveEntry), 'the bad entry was made again');
  assert.ok(statSync(join(folder, serveEntry)).size > 1000);
});

test('a cache folder others may write is neither read nor written', () => {
  const folder = join(dir, 'shared');
  mkdirSync(folder);
  chmodSync(folder, 0o777);
  serve(folder);
  assert.deepEqual(readdirSync(folder), []);
});

test('CULPRIT_CODE_CACHE=0 turns the cache off', () => {
  const folder = join(dir, 'off');
  mkdirSync(folder, { mode: 0o700 });
  const out = spawnSync(process.execPath, ['server.cjs'], {
    cwd: dir,
    env: {
      ...process.env,
      NODE_OPTIONS: `--require=${probe}`,
      CULPRIT_PROBE_SOCKET: join(dir, 'no-such.sock'),
      CULPRIT_CODE_CACHE: '0',
      TMPDIR: folder,
    },
    encoding: 'utf8',
  });
  assert.equal(out.status, 0, out.stderr);
  assert.deepEqual(readdirSync(folder), []);
});
