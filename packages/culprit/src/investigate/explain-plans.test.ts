import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryRecord } from '../capture/types.js';
import { capture, request } from '../diagnose/test-support/captures.js';
import { attachPlans } from './explain-plans.js';

const query = (sql: string, durationMs: number): QueryRecord => ({ driver: 'pg', sql, durationMs, rows: 1, stack: [] });

test('plans are asked for a statement holding a quarter of its request, from 5 ms: what diagnose judges a whole-table filter by', async () => {
  // one item's page: two lookups by unindexed columns, a third of the request each, and quick indexed ones
  const tags = 'SELECT * FROM item_tags WHERE item = $1';
  const likes = 'SELECT * FROM likes WHERE reader = $1 AND item = $2';
  const byKey = 'SELECT * FROM items WHERE id = $1';
  const small = 'SELECT * FROM readers WHERE id = $1';
  const run = request({
    wallMs: 26,
    queries: [query(byKey, 0.5), query(tags, 8), query(likes, 10), query(small, 3)],
  });
  const asked: string[][] = [];
  const probe = {
    explain: async (sqls: string[]) => {
      asked.push(sqls);
      return sqls.map((sql) => ({ sql, plan: [`Seq Scan on t  (cost=0.00..1.00 rows=1 width=8)`] }));
    },
  };
  const explained = await attachPlans(capture([run]), probe);
  assert.deepEqual(asked, [[likes, tags]], 'the slower first; 3 ms of 26 is under the floor and the share');
  const plans = explained.requests[0]?.queries.map((q) => q.plan !== undefined);
  assert.deepEqual(plans, [false, true, true, false]);
});

test('an UPDATE or DELETE that finds its rows by a WHERE is worth a plan when slow; an INSERT never is', async () => {
  const update = 'update shipments set status = ? where carrier_code = ? and tracking_number = ?';
  const insert = 'insert into carrier_events (carrier_code, status) values (?, ?)';
  const asked: string[][] = [];
  const probe = {
    explain: async (sqls: string[]) => {
      asked.push(sqls);
      return sqls.map((sql) => ({ sql, plan: ['id=1 select_type=UPDATE table=shipments type=ALL rows=596000'] }));
    },
  };
  await attachPlans(capture([request({ wallMs: 800, queries: [query(update, 700), query(insert, 60)] })]), probe);
  assert.deepEqual(asked, [[update]]);
});
