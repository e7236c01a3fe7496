import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryRecord, RedisCallRecord, RequestRecord } from '../capture/types.js';
import { request } from '../diagnose/test-support/captures.js';
import { sameWork } from './same-work.js';

const query = (sql: string, rows: number, durationMs = 1): QueryRecord => ({ driver: 'pg', sql, rows, durationMs });
const run = (queries: QueryRecord[], extra: Partial<RequestRecord> = {}): RequestRecord =>
  request({ queries, ...extra });

test('two runs with the same statements and rows did the same work, whatever their times', () => {
  const a = run([query('SELECT * FROM t', 30_000, 40)], { wallMs: 300 });
  const b = run([query('SELECT * FROM t', 30_000, 12)], { wallMs: 170, id: 2 });
  assert.equal(sameWork(a, b), true);
});

test('a run that filled a cache, other rows, another answer or other calls did other work; the body size is no work', () => {
  const warm = run([query('SELECT * FROM t', 10)]);
  assert.equal(sameWork(run([query('SELECT * FROM t', 10), query('SELECT * FROM c', 1)]), warm), false);
  assert.equal(sameWork(run([query('SELECT * FROM t', 11)]), warm), false);
  assert.equal(sameWork(run([query('SELECT * FROM t', 10)], { status: 500 }), warm), false);
  assert.equal(sameWork(run([query('SELECT * FROM t', 10)], { bytes: 99 }), warm), true, 'a body with a date in it');
  assert.equal(sameWork(run([query('SELECT * FROM t', 10)], { redis: [{} as RedisCallRecord] }), warm), false);
});

test('folded queries count by statement, count and rows', () => {
  const folded = (count: number) => [{ driver: 'pg', sql: 'SELECT 1', count, rows: count, durationMs: 5, errors: 0 }];
  assert.equal(sameWork(run([], { foldedQueries: folded(900) }), run([], { foldedQueries: folded(900) })), true);
  assert.equal(sameWork(run([], { foldedQueries: folded(900) }), run([], { foldedQueries: folded(901) })), false);
});
