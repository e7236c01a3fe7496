import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HttpCallRecord } from '../../capture/timeline-types.js';
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

test('the first call carries a caller the later ones lost after an await (a router param callback): still one sequence', () => {
  const route = [
    "router.param('sku', (req, res, next, sku) => {",
    '  req.sku = sku.toUpperCase();',
    '  next();',
    '});',
    "router.get('/:sku', async (req, res) => {",
    '  res.json(await productPage(req.sku));',
    '});',
  ].join('\n');
  const page = [
    'async function productPage(sku) {',
    '  const stock = await clients.stock(sku);',
    '  const price = await clients.price(sku);',
    '  const reviews = await clients.reviews(sku);',
    '  return { stock, price, reviews };',
    '}',
  ].join('\n');
  const sources: Record<string, string> = { '/app/src/routes.js': route, '/app/src/page.js': page };
  const fetcher: SourceLocation = { file: '/app/src/http.js', line: 4, column: 9, functionName: 'getJson' };
  const handler: SourceLocation = { file: '/app/src/routes.js', line: 6, column: 18 };
  const paramCallback: SourceLocation = { file: '/app/src/routes.js', line: 3, column: 3 };
  const calls = ['stock', 'price', 'reviews'].map(
    (service, i): HttpCallRecord => ({
      client: 'fetch',
      method: 'GET',
      origin: `http://127.0.0.1:${4000 + i}`,
      path: '/v1/items/:id',
      url: `http://127.0.0.1:${4000 + i}/v1/items/${service}`,
      status: 200,
      durationMs: 50,
      startMs: 5 + i * 52,
      stack: [
        fetcher,
        { file: '/app/src/page.js', line: 2 + i, column: 30, functionName: 'productPage' },
        handler,
        // only the first call ran on the param callback's stack; the others resumed after an await
        ...(i === 0 ? [paramCallback] : []),
      ],
    }),
  );
  const runs = [1, 2, 3].map((id) => request({ id, wallMs: 170, http: calls }));
  const found = diagnoseFully(capture(runs), rules, (file) => sources[file]).findings.find(
    (f) => f.rule === 'sequential-awaits',
  );
  assert.ok(found, 'a sequence of three independent calls');
  assert.deepEqual([found.location?.file, found.location?.line], ['/app/src/page.js', 2]);
});
