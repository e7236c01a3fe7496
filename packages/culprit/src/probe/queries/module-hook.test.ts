// A driver file is patched whether it loaded before the hook was added (require.cache) or after (_compile),
// matched through its package's hooks only.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { onCommonJsFile, packageFile, packageOfFile } from './module-hook.js';

const root = mkdtempSync(join(tmpdir(), 'culprit-module-hook-'));
after(() => rmSync(root, { recursive: true, force: true }));
const load = createRequire(join(root, 'index.js'));

function driverFile(pkg: string, file: string): string {
  const path = join(root, 'node_modules', pkg, file);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, 'exports.connect = function connect() { return "plain"; };\n');
  return path;
}

test('the package of a file is its last node_modules segment, scoped names included', () => {
  assert.equal(packageOfFile('/app/node_modules/pg/lib/client.js'), 'pg');
  assert.equal(packageOfFile('/app/node_modules/typeorm/node_modules/mysql2/index.js'), 'mysql2');
  assert.equal(packageOfFile('/app/node_modules/@redis/client/dist/index.js'), '@redis/client');
  assert.equal(packageOfFile('C:\\app\\node_modules\\pg\\lib\\client.js'), 'pg');
  assert.equal(packageOfFile('/app/src/db.js'), undefined);
  assert.equal(packageOfFile('/app/node_modules/@scope'), undefined);
});

test('a hook patches its package file loaded before it was added and after, and no other file', () => {
  const early = driverFile('culprit-fake-driver', 'lib/early.js');
  const late = driverFile('culprit-fake-driver', 'lib/late.js');
  const other = driverFile('culprit-other-driver', 'lib/late.js');
  const earlyExports = load(early) as { connect: () => string };
  const patched: string[] = [];
  const patch = (exports: unknown, filename: string) => {
    patched.push(filename);
    (exports as { connect: () => string }).connect = () => 'patched';
    return undefined;
  };
  onCommonJsFile(packageFile('culprit-fake-driver', 'lib/early.js'), patch);
  onCommonJsFile(packageFile('culprit-fake-driver', 'lib/late.js'), patch);
  assert.equal(earlyExports.connect(), 'patched', 'the file in require.cache');
  assert.equal((load(late) as { connect: () => string }).connect(), 'patched', 'the file compiled after');
  assert.equal((load(other) as { connect: () => string }).connect(), 'plain', 'another package’s file of that name');
  assert.deepEqual(patched, [early, late]);
});
