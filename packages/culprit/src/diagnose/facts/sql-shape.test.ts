import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sqlShape } from './sql-shape.js';

test('a per-row subquery in the select list neither filters nor names the statement', () => {
  const shape = sqlShape(
    'SELECT r.*, (SELECT group_concat(t.tag) FROM recipe_tags t WHERE t.recipe_id = r.id) AS tags FROM recipes r',
  );
  assert.equal(shape.table, 'recipes');
  assert.equal(shape.filtered, false);
  assert.equal(shape.limited, false);
});

test('a subquery in the conditions leaves the outer WHERE', () => {
  const shape = sqlShape('SELECT * FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE vip) LIMIT 20');
  assert.deepEqual([shape.table, shape.filtered, shape.limited, shape.joins], ['orders', true, true, 0]);
});

test('a derived table and a CTE are what the statement reads', () => {
  const derived = sqlShape('SELECT * FROM (SELECT * FROM events WHERE kind = $1) e JOIN users u ON u.id = e.user_id');
  assert.deepEqual([derived.table, derived.filtered, derived.joins], ['events', true, 1]);
  const cte = sqlShape('WITH recent AS (SELECT * FROM orders WHERE placed_at > $1) SELECT * FROM recent');
  assert.deepEqual([cte.table, cte.filtered, cte.select], ['orders', true, true]);
});

test('a union of parenthesized selects keeps its first table', () => {
  const shape = sqlShape('(SELECT id FROM a WHERE x = 1) UNION (SELECT id FROM b)');
  assert.deepEqual([shape.table, shape.select], ['a', true]);
});
