// Module mode calls only a documented factory, or the export the user names
// (`--app MODULE#NAME`): functions like initDatabase() are never run by surprise.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isCulpritError } from '../errors/culprit-error.js';
import { splitAppSpec } from './app-spec.js';
import { openTarget } from './open-target.js';
import type { RunningTarget } from './types.js';

const fixtures = fileURLToPath(new URL('../../../../fixtures/module-side-effects/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'culprit-side-effects-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let runs = 0;
/** Opens the module with its own side-effect log; returns the target (or the error) and what ran. */
async function open(spec: string): Promise<{ target?: RunningTarget; error?: unknown; ran: () => string[] }> {
  const log = join(scratch, `ran-${++runs}.txt`);
  const ran = (): string[] => {
    try {
      return readFileSync(log, 'utf8').trim().split('\n');
    } catch {
      return []; // nothing ran, so nothing was written
    }
  };
  try {
    const target = await openTarget({
      mode: 'module',
      modulePath: spec,
      cwd: fixtures,
      readyTimeoutMs: 15_000,
      env: { ...process.env, SIDE_EFFECT_FILE: log },
    });
    return { target, ran };
  } catch (error) {
    return { error, ran };
  }
}

describe('module mode exports', { concurrency: true }, () => {
  test('functions that are not documented factories are never called', async () => {
    const { error, ran } = await open('no-app.js');
    assert.ok(isCulpritError(error), String(error));
    assert.equal(error.code, 'CULPRIT_E_MODULE_UNUSABLE');
    assert.match(error.message, /initDatabase: function/);
    assert.match(error.message, /--app no-app\.js#NAME|#NAME/);
    assert.deepEqual(ran(), [], 'initDatabase, getConnection, createTables did not run');
  });

  test('a documented factory (buildApp) is called, and only it', async () => {
    const { target, error, ran } = await open('with-factory.js');
    assert.ok(target, String(error));
    try {
      const observed = await target.send({ method: 'GET', path: '/' });
      assert.equal(observed.status, 200);
      assert.deepEqual(ran(), ['buildApp']);
      assert.deepEqual(target.notes, ["serving the module's export 'buildApp()'"]);
    } finally {
      await target.close();
    }
  });

  test('MODULE#NAME serves or calls that export only', async () => {
    const { target, error, ran } = await open('with-factory.js#makeThing');
    assert.ok(target, String(error));
    try {
      assert.equal((await target.send({ method: 'GET', path: '/' })).status, 200);
      assert.deepEqual(ran(), ['makeThing']);
    } finally {
      await target.close();
    }
  });

  test('MODULE#NAME of a missing export: a usage error listing the exports', async () => {
    const { error, ran } = await open('with-factory.js#nope');
    assert.ok(isCulpritError(error), String(error));
    assert.equal(error.exitCode, 2);
    assert.match(error.message, /no export named 'nope' \(its exports: buildApp, initDatabase, makeThing\)/);
    assert.deepEqual(ran(), []);
  });

  test('splitAppSpec: only an identifier after the last # names an export', () => {
    assert.deepEqual(splitAppSpec('src/app.ts#buildApp'), { modulePath: 'src/app.ts', exportName: 'buildApp' });
    assert.deepEqual(splitAppSpec('src/app.ts'), { modulePath: 'src/app.ts' });
    assert.deepEqual(splitAppSpec('dir#1/app.js'), { modulePath: 'dir#1/app.js' });
  });
});
