import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryRecord } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { capture, request } from '../test-support/captures.js';
import { driver, repo } from '../test-support/slow-query.js';
import { isCheapPlan, planCostCeiling } from './plan-cost.js';
import type { QueryFact } from './query-facts.js';

/** A link table of 26,000 rows read whole and hashed against one venue's items: a few hundred pages. */
const smallScan = [
  'Hash Join  (cost=15.69..461.23 rows=522 width=8)',
  '  Hash Cond: (item_groups.item_id = items.id)',
  '  ->  Seq Scan on item_groups  (cost=0.00..377.00 rows=26100 width=8)',
  '  ->  Hash  (cost=13.44..13.44 rows=180 width=4)',
  '        ->  Index Scan using items_venue_idx on items  (cost=0.29..13.44 rows=180 width=4)',
  '              Index Cond: (venue_id = 12)',
];
/** The same statement over a table of 1.5M rows: a Limit's cost is prorated, its input's is not. */
const bigScan = [
  'Limit  (cost=0.00..12.40 rows=20 width=8)',
  '  ->  Seq Scan on item_groups  (cost=0.00..26925.00 rows=43425 width=8)',
  '        Filter: (item_id = 12)',
];
const sql =
  'select item_groups.item_id, item_groups.group_id from item_groups inner join items on items.id = item_groups.item_id where items.venue_id = ?';

const fact = (plan: string[] | undefined, driverName = 'pg') => ({ driver: driverName, plan }) as QueryFact;

test("a plan's cost ceiling is its costliest node, PostgreSQL only", () => {
  assert.equal(planCostCeiling(fact(smallScan)), 461.23);
  assert.equal(planCostCeiling(fact(bigScan)), 26925);
  assert.equal(planCostCeiling(fact(['-> Table scan on items  (cost=10.2 rows=100)'], 'mysql2')), undefined);
  assert.equal(planCostCeiling(fact(undefined)), undefined);
  assert.equal(isCheapPlan(fact(smallScan)), true);
  assert.equal(isCheapPlan(fact(bigScan)), false);
});

/** Five reads sent at once on a busy machine: each 30 ms of a 60 ms request. */
function menuFindings(plan: string[], durationMs: number) {
  const query: QueryRecord = { driver: 'pg', sql, durationMs, rows: 522, stack: [driver, repo], plan };
  const lookup: QueryRecord = {
    driver: 'pg',
    sql: 'select * from venues where id = ?',
    durationMs: 18,
    rows: 1,
    stack: [driver, repo],
    plan: ['Index Scan using venues_pkey on venues  (cost=0.15..8.17 rows=1 width=40)', '  Index Cond: (id = 12)'],
  };
  const runs = [1, 2, 3].map((id) =>
    request({ id, items: 10, wallMs: durationMs + 30, cpuMs: 20, queries: [lookup, query] }),
  );
  return diagnoseFully(capture(runs), rules).findings.filter((f) => f.rule === 'slow-query');
}

test('a cheap plan that took tens of milliseconds waited: no slow-query finding, however large its share', () => {
  assert.deepEqual(menuFindings(smallScan, 30), []);
});

test('a cheap plan is still reported from 100 ms on, and a costly one at any share that makes it slow', () => {
  assert.equal(menuFindings(smallScan, 150).length, 1);
  assert.equal(menuFindings(bigScan, 30).length, 1);
});
