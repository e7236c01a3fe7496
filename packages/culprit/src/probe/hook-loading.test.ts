import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { probeEntryUrl } from '../target/probe-paths.js';
import { HOOKED_ESM_FILES, HOOKED_PACKAGES } from './queries/driver-files.js';
import { hookedEsmPatterns } from './queries/esm-hook.js';
import { installQueryHooks } from './queries/index.js';
import { hookedFilePatterns, packageFile } from './queries/module-hook.js';
import { installRedisHooks } from './remote/index.js';

// Stand-ins for drivers, laid out as the hooks expect (node_modules/<pkg>/<file>):
// the probe must patch them as they load though its hooks load only then.
const app = mkdtempSync(join(tmpdir(), 'culprit-hook-loading-'));
after(() => rmSync(app, { recursive: true, force: true }));
const files: Record<string, string> = {
  'node_modules/pg/package.json': '{"name":"pg","main":"lib/index.js"}',
  'node_modules/pg/lib/index.js': 'module.exports = { Client: require("./client.js") };',
  'node_modules/pg/lib/client.js': 'module.exports = class Client { query() { return "ran"; } };',
  'node_modules/postgres/package.json': '{"name":"postgres","type":"module","exports":"./src/index.js"}',
  'node_modules/postgres/src/index.js': 'export { Query } from "./query.js";',
  'node_modules/postgres/src/query.js': 'export class Query extends Promise {}',
  'package.json': '{"name":"app","dependencies":{"pg":"*","postgres":"*"}}',
};
for (const [path, text] of Object.entries(files)) {
  mkdirSync(dirname(join(app, path)), { recursive: true });
  writeFileSync(join(app, path), text);
}

function run(script: string, preload: string[] = []): string {
  const args = [...preload, `--import=${probeEntryUrl()}`, '--input-type=module', '-e', script];
  const out = spawnSync(process.execPath, args, {
    cwd: app,
    env: { ...process.env, CULPRIT_PROBE_SOCKET: join(app, 'no-such.sock'), NODE_OPTIONS: '' },
    encoding: 'utf8',
  });
  assert.equal(out.status, 0, out.stderr);
  return out.stdout.trim();
}

test('a CommonJS driver is patched as it loads (its hooks load then)', () => {
  const out = run(
    `import { createRequire } from 'node:module';
     const { Client } = createRequire(process.cwd() + '/')('pg');
     const patched = Boolean(Client.prototype.query[Symbol.for('culprit.patched')]);
     console.log(patched, new Client().query());`,
  );
  assert.equal(out, 'true ran');
});

test('an ES module driver file is patched as it loads', () => {
  // postgres.js's hook gives Query an own `handler` accessor
  const out = run(
    `const { Query } = await import(process.cwd() + '/node_modules/postgres/src/index.js');
     console.log(Object.hasOwn(Query.prototype, 'handler'));`,
  );
  assert.equal(out, 'true');
});

test("under tsx's CLI (its CommonJS hooks preloaded before the probe) an ES module driver file is patched all the same", () => {
  // `npx tsx server.ts` runs `node --require tsx/preflight --import tsx …`: the probe's hooks then load by
  // import(), a few ticks after the first driver file; the files evaluated meanwhile are patched on registration
  const preflight = createRequire(import.meta.url).resolve('tsx/preflight');
  const out = run(
    `const { Query } = await import(process.cwd() + '/node_modules/postgres/src/index.js');
     for (let waited = 0; waited < 5000 && !Object.hasOwn(Query.prototype, 'handler'); waited += 20)
       await new Promise((resolve) => setTimeout(resolve, 20));
     console.log(Object.hasOwn(Query.prototype, 'handler'));`,
    ['--require', preflight],
  );
  assert.equal(out, 'true');
});

test('every file a hook patches is watched from the start (a new hook lists its package in driver-files.ts)', () => {
  installQueryHooks(() => {});
  installRedisHooks();
  const prefixes = HOOKED_PACKAGES.map((pkg) => packageFile(pkg, 'FILE').source.replace(/FILE\$$/, ''));
  const unwatched = hookedFilePatterns().filter(
    (pattern) => !prefixes.some((prefix) => pattern.source.startsWith(prefix)),
  );
  assert.deepEqual(
    unwatched.map((pattern) => pattern.source),
    [],
    'CommonJS files of packages missing from HOOKED_PACKAGES',
  );
  const esmWatched = new Set(HOOKED_ESM_FILES.map(([pkg, file]) => packageFile(pkg, file).source));
  const esmUnwatched = hookedEsmPatterns().filter((pattern) => !esmWatched.has(pattern.source));
  assert.deepEqual(
    esmUnwatched.map((pattern) => pattern.source),
    [],
    'ES module files missing from HOOKED_ESM_FILES',
  );
});
