import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestRecord } from '../capture/types.js';
import { bar, renderRequestTimeline } from './render-timeline.js';

const handler = { file: '/app/src/routes.js', line: 12, column: 5, functionName: 'dashboard' };
const request: RequestRecord = {
  id: 1,
  method: 'GET',
  url: '/dashboard?id=?',
  status: 200,
  wallMs: 100,
  cpuMs: 10,
  bytes: 10,
  queries: [
    { driver: 'pg', sql: 'SELECT * FROM users WHERE id = ?', startMs: 2, durationMs: 8, rows: 1, location: handler },
    { driver: 'pg', sql: 'SELECT 1', durationMs: 1, rows: 1 },
  ],
  foldedQueries: [{ driver: 'pg', sql: 'SELECT x', count: 40, rows: 0, durationMs: 3, errors: 0 }],
  http: [
    {
      client: 'fetch',
      method: 'GET',
      origin: 'http://orders:4000',
      path: '/orders/:id',
      url: '/orders/7',
      status: 200,
      bytes: 2048,
      startMs: 10,
      durationMs: 50,
      location: { ...handler, line: 13 },
    },
  ],
  redis: [
    {
      client: 'ioredis',
      command: 'PIPELINE',
      commands: 3,
      batch: 'GET ×3',
      startMs: 61,
      durationMs: 4,
      location: { ...handler, line: 14 },
    },
  ],
  blocking: [{ startMs: 70, durationMs: 25 }],
  constructions: [],
};

test('the timeline lists every placed operation under its app line, in start order, with offsets', () => {
  const text = renderRequestTimeline(request, '/app').join('\n');
  const order = ['src/routes.js:12 (dashboard)', 'src/routes.js:13', 'src/routes.js:14', 'event loop'].map((s) =>
    text.indexOf(s),
  );
  assert.ok(
    order.every((at, i) => at >= 0 && (i === 0 || at > (order[i - 1] ?? 0))),
    text,
  );
  assert.match(text, /\+ +2\.0 ms +8\.0 ms .* sql +SELECT \* FROM users WHERE id = \? · pg, 1 row/);
  assert.match(text, /\+ +10\.0 ms +50\.0 ms .* http +GET http:\/\/orders:4000\/orders\/:id · fetch, 200, 2\.0 kB/);
  assert.match(text, /redis +PIPELINE · ioredis, 3 commands in one round trip \(GET ×3\)/);
  assert.match(text, /blocking +event loop blocked/);
  assert.match(text, /41 more operations counted without a place on the axis/, 'the folded 40 and the unplaced one');
});

test('bars place an operation within the request', () => {
  assert.equal(bar(0, 100, 100), `|${'█'.repeat(24)}|`);
  assert.equal(bar(50, 1, 100), `|${' '.repeat(12)}█${' '.repeat(11)}|`);
});
