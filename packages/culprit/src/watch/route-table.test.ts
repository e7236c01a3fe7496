import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestRecord, TargetInfo } from '../capture/types.js';
import { renderLive, renderWatch } from './render-routes.js';
import { summarizeRoutes } from './route-summary.js';
import { EXAMPLES_PER_ROUTE, MAX_ROUTES, OVERFLOW_ROUTE, RouteTable } from './route-table.js';

function request(url: string, wallMs: number, extra: Partial<RequestRecord> = {}): Omit<RequestRecord, 'id'> {
  return {
    method: 'GET',
    url,
    status: 200,
    wallMs,
    cpuMs: wallMs / 2,
    bytes: 10,
    queries: [],
    constructions: [],
    ...extra,
  };
}

const target: TargetInfo = { mode: 'command', command: ['node', 'server.js'] };

test('routes: the router template when given, ids folded otherwise; ranked by total time', () => {
  const table = new RouteTable();
  for (let i = 0; i < 10; i++) table.add({ record: request(`/users/${i}`, 2), atS: i });
  table.add({ record: request('/reports/7', 50, { route: '/reports/:id' }), routeFrom: 'express', atS: 1 });
  table.add({
    record: request('/reports/8', 30, { route: '/reports/:id', status: 500, http: [{}, {}] as RequestRecord['http'] }),
    routeFrom: 'express',
    atS: 2,
  });
  const rows = table.rows();
  assert.deepEqual(
    rows.map((r) => [r.route, r.count, r.errors, r.totalMs, r.httpCalls]),
    [
      ['/reports/:id', 2, 1, 80, 2],
      ['/users/:id', 10, 0, 20, 0],
    ],
  );
  assert.ok(Math.abs((rows[0]?.p99 ?? 0) - 50) < 0.1, 'HDR p99 of 30 and 50 ms');
  const summary = summarizeRoutes({ table, target, diagnoseCommand: (r) => `culprit diagnose ${r.url}` });
  assert.equal(summary.routes[0]?.from, 'express');
  assert.equal(summary.routes[1]?.from, 'folded');
  assert.equal(summary.routes[0]?.example.diagnose, 'culprit diagnose /reports/7', 'the slowest request');
  assert.equal(summary.routes[0]?.finding?.rule, 'request-failed');
  assert.deepEqual(
    summary.routes[1]?.series.map((b) => b.count),
    Array(10).fill(1),
  );
  assert.ok(summary.routes[0]?.histogram.length);
});

test('bounded: slowest examples per route, one overflow row past the route limit, wider buckets on long watches', () => {
  const table = new RouteTable();
  for (let i = 0; i < 20; i++) table.add({ record: request('/a', i), atS: 0 });
  const [state] = table.ranked();
  assert.deepEqual(
    state?.examples.map((e) => e.wallMs),
    [19, 18, 17, 16, 15].slice(0, EXAMPLES_PER_ROUTE),
  );
  for (let i = 0; i < MAX_ROUTES + 5; i++) table.add({ record: request(`/r${i}x`, 1), atS: 0 });
  const overflow = table.ranked().find((s) => s.route === OVERFLOW_ROUTE);
  assert.equal(overflow?.count, 6, '205 new paths, 199 rows left before the limit');
  table.add({ record: request('/a', 1), atS: 3600 });
  assert.ok(table.bucketS >= 12, 'an hour in at most 300 buckets');
  assert.ok(
    (table
      .ranked()
      .find((s) => s.route === '/a')
      ?.series.list().length ?? 99) <= 2,
  );
});

test('text: the live table fits the terminal; the report gives each route its finding and command', () => {
  const table = new RouteTable();
  table.add({ record: request('/x/1', 5), atS: 0 });
  table.add({ record: request('/evil/\u001b[2J', 1), atS: 0 });
  const live = renderLive(
    table.rows(),
    { elapsedS: 10, requests: 2, listening: 'http://127.0.0.1:1' },
    { columns: 80, rows: 24 },
  );
  assert.ok(live.split('\n').every((line) => line.length <= 80));
  assert.ok(!live.includes('\u001b'), 'control characters from URLs escaped');
  assert.match(live, /2 requests in 10 s \(0\.2\/s\) · 2 routes/);
  const { routes } = summarizeRoutes({
    table,
    target,
    diagnoseCommand: (r) => `culprit diagnose ${r.url} -- node s.js`,
  });
  const report = renderWatch({ startedAt: '', durationS: 10, requests: 2, bucketS: 1, routes });
  assert.match(report, /^ {2}1 GET \/x\/:id/m);
  assert.match(report, /culprit diagnose \/x\/1 -- node s\.js/);
});
