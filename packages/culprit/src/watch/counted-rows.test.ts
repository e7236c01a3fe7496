import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryRecord, RequestRecord, TargetInfo } from '../capture/types.js';
import type { WatchRowsMessage } from '../probe/protocol.js';
import { decodeCountedRows } from './counted-rows.js';
import { renderWatch } from './render-routes.js';
import { summarizeRoutes } from './route-summary.js';
import { EXAMPLES_PER_ROUTE, RouteTable } from './route-table.js';

const target: TargetInfo = { mode: 'command', command: ['node', 'server.js'] };

/** A request recorded in full on the N+1 route: one list query, then one query per item, from one line. */
function nPlusOne(owner: number, wallMs: number): Omit<RequestRecord, 'id'> {
  const location = { file: '/app/cards.js', line: 20, column: 5 };
  const queries: QueryRecord[] = [
    { driver: 'better-sqlite3', sql: 'SELECT id FROM card WHERE owner = ?', durationMs: 0.2, rows: 50, location },
  ];
  for (let i = 0; i < 50; i++)
    queries.push({
      driver: 'better-sqlite3',
      sql: 'SELECT label FROM tag WHERE card = ?',
      durationMs: 0.1,
      rows: 1,
      location: { ...location, line: 22 },
    });
  return {
    method: 'GET',
    url: `/owners/${owner}/cards`,
    route: '/owners/:id/cards',
    status: 200,
    wallMs,
    cpuMs: wallMs / 2,
    bytes: 100,
    queries,
    constructions: [],
  };
}

test('rows decode into counted requests; malformed rows are skipped and counted', () => {
  const batch: WatchRowsMessage = {
    type: 'watch.rows',
    routes: [
      ['GET', '/owners/:id/cards', 'express'],
      ['GET', '/health', 'folded'],
    ],
    rows: [0, 200, 12.5, 3, 51, 100, 0, 2_000, 1, 503, 1, 0.5, 0, 0, 2, 3_500, 7, 200, 1, 1, 1, 1, 1, 1_000],
  };
  const { requests, skipped } = decodeCountedRows(batch, (end) => (end - 1_000) / 1000);
  assert.deepEqual(
    requests.map((r) => [r.method, r.route, r.from, r.status, r.wallMs, r.queries, r.rows, r.httpCalls, r.atS]),
    [
      ['GET', '/owners/:id/cards', 'express', 200, 12.5, 51, 100, 0, 1],
      ['GET', '/health', 'folded', 503, 1, 0, 0, 2, 2.5],
    ],
  );
  assert.equal(skipped, 1, 'route index 7 is not in the batch');
});

test('sampled detail: counts, queries and latency from every request; examples and the finding from the detailed ones', () => {
  const table = new RouteTable();
  // 10 requests recorded in full, 990 only counted (as the probe's sampler splits them under load)
  for (let i = 0; i < 10; i++) table.add({ record: nPlusOne(i, 20 + i), routeFrom: 'express', atS: i / 100 });
  for (let i = 0; i < 990; i++)
    table.count({
      method: 'GET',
      route: '/owners/:id/cards',
      from: 'express',
      status: i % 100 === 0 ? 500 : 200,
      wallMs: i === 500 ? 400 : 25,
      cpuMs: 10,
      queries: 51,
      rows: 100,
      httpCalls: 0,
      atS: 1 + i / 100,
    });
  const [state] = table.ranked();
  assert.equal(table.requests, 1000);
  assert.equal(state?.count, 1000);
  assert.equal(state?.detailed, 10);
  assert.equal(state?.errors, 10);
  assert.equal(state?.queries, 51 * 1000);
  assert.equal(state?.rows, 100 * 1000);
  assert.equal(state?.examples.length, EXAMPLES_PER_ROUTE);
  const summary = summarizeRoutes({ table, target, diagnoseCommand: (r) => `culprit diagnose ${r.url}` });
  const route = summary.routes[0];
  assert.equal(route?.detailed, 10);
  assert.ok(Math.abs((route?.latencyMs.max ?? 0) - 400) < 1, 'the slowest counted request is in the histogram');
  assert.ok(Math.abs((route?.latencyMs.p50 ?? 0) - 25) < 0.1);
  assert.equal(route?.finding?.rule, 'n-plus-one', 'found in the detailed sample');
  assert.equal(route?.example.url, '/owners/9/cards', 'the slowest request recorded in full');
  assert.equal(
    summary.routes.reduce((sum, r) => sum + (r.series.reduce((n, b) => n + b.count, 0) ?? 0), 0),
    1000,
    'every request in the series',
  );
  assert.equal(summary.requests.length, EXAMPLES_PER_ROUTE);
  const text = renderWatch({ startedAt: '', durationS: 10, requests: 1000, bucketS: 1, routes: summary.routes });
  assert.match(text, /sampled: from the 10 of 1,000 requests recorded in full/);
});
