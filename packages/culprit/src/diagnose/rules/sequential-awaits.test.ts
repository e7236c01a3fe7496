import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryRecord, SourceLocation } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { capture, request } from '../test-support/captures.js';

// a warehouse overview: three independent reports, each awaited before the next starts
const handler = [
  'export async function overview(req) {',
  '  const id = Number(req.params.id);',
  '  const stock = await stockLevels(id);',
  '  const orders = await openOrders(id);',
  '  const returns = await pendingReturns(id);',
  '  return { stock, orders, returns };',
  '}',
].join('\n');

function sequence(driver: string): QueryRecord[] {
  const library: SourceLocation = {
    file: `/app/node_modules/${driver}/lib/pool.js`,
    line: 80,
    column: 5,
    package: driver,
  };
  return ['stock', 'orders', 'returns'].map((table, i) => ({
    driver,
    sql: `SELECT count(*) FROM ${table} WHERE warehouse_id = ?`,
    durationMs: 60,
    startMs: 5 + i * 62,
    rows: 1,
    stack: [library, { file: '/app/src/overview.js', line: 3 + i, column: 23, functionName: 'overview' }],
  }));
}

function diagnosed(driver: string) {
  const runs = [1, 2, 3].map((id) => request({ id, wallMs: 200, queries: sequence(driver) }));
  return diagnoseFully(capture(runs), rules, (file) => (file === '/app/src/overview.js' ? handler : undefined))
    .findings;
}

for (const driver of ['pg', 'mysql2', 'mysql', 'mariadb', 'postgres']) {
  test(`independent SELECTs awaited one after another on ${driver}'s pool could overlap`, () => {
    const found = diagnosed(driver).find((f) => f.rule === 'sequential-awaits');
    assert.ok(found, driver);
    assert.deepEqual([found.location?.file, found.location?.line], ['/app/src/overview.js', 3]);
    assert.match(found.title, /3 independent queries one after another/);
  });
}

test('SQLite runs one statement at a time: nothing to overlap', () => {
  for (const driver of ['better-sqlite3', 'sqlite3'])
    assert.equal(
      diagnosed(driver).find((f) => f.rule === 'sequential-awaits'),
      undefined,
      driver,
    );
});
