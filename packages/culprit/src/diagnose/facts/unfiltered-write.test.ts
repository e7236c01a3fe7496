import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  UNFILTERED_WRITE_WRITTEN,
  unfilteredWrite,
  unfilteredWriteAdvice,
  unfilteredWriteReason,
} from './unfiltered-write.js';

test('an UPDATE whose only WHERE is inside its SET subquery writes the whole table', () => {
  // a counter cache refreshed after one order is placed: every product's count recomputed
  const sql =
    'update "shop"."products" set "order_count" = (select count(*) from "order_lines" where "order_lines"."product_id" = "products"."id")';
  assert.deepEqual(unfilteredWrite(sql), { verb: 'UPDATE', table: 'shop.products' });
  assert.equal(
    unfilteredWriteReason({ verb: 'UPDATE', table: 'products' }, '48,000', sql),
    ': the UPDATE has no WHERE, so every run rewrites all 48,000 rows of products, running its subquery for each',
  );
  assert.match(
    unfilteredWriteAdvice({ verb: 'UPDATE', table: 'products' }, 'cart.js:40'),
    /^Restrict the UPDATE at cart\.js:40 to the rows/,
  );
});

test('a DELETE of every row is one too; filtered writes, reads and inserts are not', () => {
  assert.deepEqual(unfilteredWrite('DELETE FROM `sessions`'), { verb: 'DELETE', table: 'sessions' });
  assert.equal(unfilteredWrite('UPDATE products SET order_count = order_count + 1 WHERE id IN ($1, $2)'), undefined);
  assert.equal(unfilteredWrite('delete from sessions where expires_at < now()'), undefined);
  assert.equal(unfilteredWrite('SELECT * FROM products'), undefined);
  assert.equal(unfilteredWrite('INSERT INTO audit (what) SELECT name FROM products'), undefined);
  // a common table expression may carry the filter: not judged
  assert.equal(
    unfilteredWrite('WITH changed AS (SELECT id FROM t WHERE x = 1) UPDATE t SET y = 2 FROM changed'),
    undefined,
  );
});

test('the line that starts the write is found in SQL text and in query builders', () => {
  for (const line of [
    '  await sql`UPDATE products SET order_count = (',
    "    .updateTable('tags')",
    "  await knex('tags').update({ count: knex.raw('...') });",
    "  db.run('DELETE FROM sessions');",
    '  await repo.createQueryBuilder().update(Tag)',
  ])
    assert.ok(UNFILTERED_WRITE_WRITTEN.test(line), line);
  for (const line of [
    "    .selectFrom('tags')",
    '  const updated = rows.map((r) => r.updatedAt);',
    '    .set({ count: 0 })',
  ])
    assert.ok(!UNFILTERED_WRITE_WRITTEN.test(line), line);
});
