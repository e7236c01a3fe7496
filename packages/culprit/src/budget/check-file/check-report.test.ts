import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestRecord } from '../../capture/types.js';
import { checkRow, renderCheck } from './check-report.js';

const at = { file: 'src/cart.ts', line: 14, column: 5 };
const redis = (key: string) => ({
  client: 'ioredis' as const,
  command: 'HGETALL',
  key,
  commands: 1,
  startMs: 0,
  durationMs: 0.3,
  location: at,
});

/** A child-process record: one query, then one HGETALL per cart line (keys already folded by the CLI). */
const record: RequestRecord = {
  id: 1,
  method: 'GET',
  url: '/cart',
  status: 200,
  wallMs: 9,
  cpuMs: 4,
  bytes: 800,
  items: 6,
  queries: [{ driver: 'pg', sql: 'SELECT * FROM cart WHERE id = $1', durationMs: 1, rows: 1 }],
  constructions: [],
  redis: [...Array.from({ length: 6 }, () => redis('product:?')), { ...redis('cart:?'), location: { ...at, line: 9 } }],
};

test('culprit check reads Redis round trips from the record: a repeated command names its line and key shape', () => {
  const row = checkRow(
    { name: 'cart', method: 'GET', path: '/cart', budget: { repeatedRedisCalls: 1, redisCalls: 3 } },
    record,
  );
  assert.equal(row.figures.redisCalls, 7);
  assert.deepEqual(
    row.violations.map((v) => [v.limit, v.actual, v.statement, v.location?.line]),
    [
      ['repeated Redis command', 6, 'HGETALL product:?', 14],
      ['Redis round trips', 7, undefined, undefined],
    ],
  );
  assert.match(
    row.details ?? '',
    /repeated Redis command: 6 times at src\/cart\.ts:14 \(budget 1\)\n {4}HGETALL product:\?/,
  );
  const table = renderCheck({ schema: 'culprit.check/1', passed: false, requests: [row] });
  assert.match(table.split('\n')[0] ?? '', /\bredis\b/);
  assert.match(table.split('\n')[1] ?? '', /\b7\/3 ✗/);
});

test('a batch is one round trip: within a budget of one', () => {
  const batched: RequestRecord = {
    ...record,
    redis: [{ ...redis('product:?'), command: 'PIPELINE', commands: 6, batch: 'HGETALL ×6' }],
  };
  const row = checkRow(
    { name: 'cart', method: 'GET', path: '/cart', budget: { repeatedRedisCalls: 1, redisCalls: 1 } },
    batched,
  );
  assert.deepEqual(row.violations, []);
});
