// Module mode: the default export is a ready, non-listening Fastify instance
// configured from the environment, as culprit's `--app` imports it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'ephemera-app-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('importing app gives a ready instance on EPHEMERA_DB, with the schema created', async () => {
  process.env.EPHEMERA_DB = join(dir, 'fresh.sqlite');
  process.env.EPHEMERA_INCIDENT = '1';
  try {
    const { default: app, buildApp } = await import('./app.js');
    assert.equal(typeof buildApp, 'function');
    assert.equal(app.server.listening, false);
    const health = await app.inject('/healthz');
    assert.equal(health.statusCode, 200);
    const list = await app.inject('/api/ephemera/');
    assert.deepEqual(list.json(), { count: 0, page: 1, page_size: 20, results: [] });
    assert.equal((await app.inject('/api/ephemera/13373/')).statusCode, 404);
    await app.close();
  } finally {
    delete process.env.EPHEMERA_DB;
    delete process.env.EPHEMERA_INCIDENT;
  }
});
