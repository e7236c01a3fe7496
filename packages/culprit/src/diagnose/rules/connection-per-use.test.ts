import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryRecord, SourceLocation } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { capture, request } from '../test-support/captures.js';

// a stock report: a helper that connects, queries and disconnects, called for each of ten warehouses
const FILE = '/app/src/stock.js';
const SOURCE = [
  'async function stockOf(warehouse) {',
  '  const client = new Client(config);',
  '  await client.connect();',
  '  try {',
  "    const { rows } = await client.query('SELECT sum(qty) AS n FROM stock WHERE warehouse = $1', [warehouse]);",
  '    return rows[0].n;',
  '  } finally {',
  '    await client.end();',
  '  }',
  '}',
].join('\n');
const helper: SourceLocation = { file: FILE, line: 5, column: 30, functionName: 'stockOf' };
const handler: SourceLocation = { file: '/app/src/routes.js', line: 12, column: 20, functionName: 'report' };

/** Ten queries of 4 ms, `gap` ms apart (less than 4: they overlap), over `connects` new connections. */
function diagnosed(gap: number, connects: number) {
  const queries: QueryRecord[] = Array.from({ length: 10 }, (_, i) => ({
    driver: 'pg',
    sql: 'SELECT sum(qty) AS n FROM stock WHERE warehouse = $1',
    durationMs: 4,
    startMs: 2 + i * gap,
    rows: 1,
    valuesKey: `w${i}`,
    stack: [helper, handler],
  }));
  const record = request({
    url: '/stock',
    wallMs: 2 + 10 * gap + 4,
    cpuMs: 20,
    items: 10,
    queries,
    network: [{ remote: '127.0.0.1:5432', kind: 'tcp', writes: 60, bytes: 1_500, connects }],
  });
  return diagnoseFully(capture([record]), rules, (path) => (path === FILE ? SOURCE : undefined)).findings;
}

test('connections opened one per query, the queries one at a time: named where the client connects', () => {
  const findings = diagnosed(20, 10);
  const [top] = findings;
  assert.equal(top?.rule, 'connection-per-use');
  assert.deepEqual([top?.location?.file, top?.location?.line], [FILE, 3]);
  assert.match(
    top?.title ?? '',
    /opens a new connection to 127\.0\.0\.1:5432 for each use: 10 connections in one request/,
  );
  // 206 ms of request, 40 ms in queries, 20 ms of CPU: 146 ms in no operation, nine of ten connections spared
  assert.equal(Math.round(top?.savesMs ?? 0), 131);
  assert.match(top?.suggestion ?? '', /Create the pool or client once at start-up/);
});

test('a pool opening connections for queries that overlap, or one connection reused, is no finding', () => {
  assert.equal(diagnosed(1, 5).filter((f) => f.rule === 'connection-per-use').length, 0);
  assert.equal(diagnosed(20, 1).filter((f) => f.rule === 'connection-per-use').length, 0);
});
