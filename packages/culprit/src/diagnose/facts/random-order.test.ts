import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RANDOM_ORDER_WRITTEN, randomOrder } from './random-order.js';

test('a random order is told by its function in ORDER BY, whatever the dialect and spacing', () => {
  assert.equal(randomOrder("SELECT * FROM posts WHERE status = 'published' ORDER BY RAND() LIMIT 6"), 'RAND');
  assert.equal(randomOrder('select id from tips order by  random ( ) limit 3'), 'random');
  assert.equal(randomOrder('SELECT TOP 5 * FROM ads ORDER BY NEWID()'), 'NEWID');
  assert.equal(
    randomOrder('SELECT rand() AS r FROM t ORDER BY created_at DESC LIMIT 5'),
    undefined,
    'selected, not ordered by',
  );
  assert.equal(randomOrder('SELECT * FROM t ORDER BY random_rank LIMIT 5'), undefined, 'a column named like it');
  assert.ok(RANDOM_ORDER_WRITTEN.test('      ORDER BY RAND()'));
  assert.ok(RANDOM_ORDER_WRITTEN.test('  .orderBy(sql`random()`)'), 'a builder that says it apart from ORDER BY');
  assert.ok(!RANDOM_ORDER_WRITTEN.test('  .orderBy(random_rank)'));
});
