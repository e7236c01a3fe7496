import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkBudget, describeViolations } from '../budget/check-budget.js';
import { queryTotals } from '../capture/query-totals.js';
import type { Capture, RequestRecord } from '../capture/types.js';
import { querySites } from './query-sites.js';
import { renderTrace } from './render-trace.js';

// A request of 1,000,000 queries as the probe sends it: 2,000 kept, the rest
// folded. Every reader that counts queries must count the folded ones.
const line = (n: number) => ({ file: '/app/src/items.ts', line: n, column: 5 });
const kept = Array.from({ length: 2000 }, () => ({
  driver: 'pg',
  sql: 'SELECT * FROM item WHERE id = ?',
  durationMs: 0.01,
  rows: 1,
  location: line(12),
}));
const request: RequestRecord = {
  id: 1,
  method: 'GET',
  url: '/items',
  status: 200,
  wallMs: 9000,
  cpuMs: 8000,
  bytes: 100,
  queries: kept,
  foldedQueries: [
    {
      driver: 'pg',
      sql: 'SELECT * FROM item WHERE id = ?',
      location: line(12),
      count: 898_000,
      rows: 898_000,
      durationMs: 8.98,
      errors: 0,
    },
    {
      driver: 'pg',
      sql: 'SELECT count(*) FROM tag',
      location: line(30),
      count: 100_000,
      rows: 100_000,
      durationMs: 500,
      errors: 3,
    },
  ],
  constructions: [],
};

test('queryTotals counts kept and folded queries', () => {
  const { durationMs, ...counts } = queryTotals(request);
  assert.deepEqual(counts, { count: 1_000_000, rows: 1_000_000, errors: 3, folded: 998_000 });
  assert.ok(Math.abs(durationMs - (20 + 8.98 + 500)) < 1e-6);
});

test('querySites weighs a fold by its count', () => {
  const sites = querySites(request);
  assert.deepEqual(
    sites.map((site) => [site.location?.line, site.queries, site.rows]),
    [
      [30, 100_000, 100_000],
      [12, 900_000, 900_000],
    ],
  );
});

test('the trace table and its query sites count folded queries, and say they were folded', () => {
  const capture: Capture = {
    schema: 'culprit.capture/1',
    createdAt: '2026-11-24T00:00:00.000Z',
    tool: { name: 'culprit', version: '0.1.0', command: 'trace' },
    target: { mode: 'module', module: 'src/app.ts', framework: 'express' },
    requests: [request],
  };
  const text = renderTrace(capture, { cwd: '/app' });
  assert.match(text, /GET \/items .* 1,000,000 +1,000,000\n/);
  assert.match(text, /2,000 queries kept one by one, 998,000 more counted by statement and line/);
  assert.match(text, /src\/items\.ts:12 +900,000×/);
});

test('budgets count folded queries and rows', () => {
  const violations = checkBudget(request, { queries: 10_000, rows: 50_000 });
  assert.deepEqual(violations, [
    { limit: 'queries', allowed: 10_000, actual: 1_000_000 },
    { limit: 'rows', allowed: 50_000, actual: 1_000_000 },
  ]);
  assert.match(describeViolations(request, violations, 'GET /'), /queries: 1,000,000 \(budget 10,000\)/);
});
