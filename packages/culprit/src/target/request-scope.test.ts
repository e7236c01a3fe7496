// Queries are attributed to the request that issued them: across awaits,
// between concurrent requests, and on keep-alive connections (where the
// previous request's async context is still visible when the next starts).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openTarget } from './open-target.js';
import type { RunningTarget } from './types.js';

const cwd = fileURLToPath(new URL('../../../../fixtures/trace-sqlite/', import.meta.url));
const opened: RunningTarget[] = [];
after(async () => {
  await Promise.all(opened.map((target) => target.close()));
});

test('concurrent requests do not mix their queries (module mode)', async () => {
  const target = await openTarget({ mode: 'module', modulePath: 'app.js', cwd, readyTimeoutMs: 15_000 });
  opened.push(target);
  await target.probe.configureTrace({ queries: true, constructions: false, stacks: false });
  const ns = [1, 5, 2, 8, 3];
  const records = await Promise.all(ns.map((n) => target.send({ method: 'GET', path: `/slow?n=${n}` })));
  assert.equal(records.length, ns.length);
  for (const record of records) {
    const n = Number(new URL(record.url, 'http://x').searchParams.get('n'));
    assert.equal(record.queries.length, n + 1, `${record.url}: its own ${n} + 1 queries, none of the others'`);
  }
});

test('keep-alive: each request gets only its own queries (command mode)', async () => {
  const target = await openTarget({ mode: 'command', command: ['node', 'server.js'], cwd, readyTimeoutMs: 15_000 });
  opened.push(target);
  await target.probe.configureTrace({ queries: true, constructions: false, stacks: false });
  for (let i = 0; i < 3; i++) {
    const record = await target.send({ method: 'GET', path: '/cards?limit=3' });
    assert.equal(record.queries.length, 4, `request ${i + 1}: 1 list + 3 owners`);
    assert.equal(record.queries[0]?.location?.line, 20);
  }
});
