import assert from 'node:assert/strict';
import { test } from 'node:test';
import { needlessCountJoin } from './needless-join.js';

test('a distinct count over a LEFT JOIN used only in its ON condition needs none of the joined rows', () => {
  assert.deepEqual(
    needlessCountJoin(
      'SELECT count(DISTINCT j.id)::int AS total FROM job_postings j LEFT JOIN applications a ON a.job_id = j.id WHERE j.status = $1 AND j.department = $2',
    ),
    { counted: 'job_postings', joined: ['applications'] },
  );
  // an ORM's paginated count with an included collection, quoted
  assert.deepEqual(
    needlessCountJoin(
      'SELECT count(DISTINCT("Product"."id")) AS "count" FROM "products" AS "Product" LEFT OUTER JOIN "reviews" AS "reviews" ON "Product"."id" = "reviews"."product_id" WHERE "Product"."category" = $1',
    ),
    { counted: 'products', joined: ['reviews'] },
  );
  assert.deepEqual(
    needlessCountJoin(
      'select count(distinct `o`.`id`) as `total` from `orders` as `o` left join `order_items` as `i` on `i`.`order_id` = `o`.`id` left join `users` as `u` on `u`.`id` = `o`.`user_id` where `u`.`country` = ?',
    ),
    { counted: 'orders', joined: ['order_items'] },
  );
});

test('a join the count needs is not needless', () => {
  // filtered by the joined table's column
  assert.equal(
    needlessCountJoin(
      "SELECT count(DISTINCT j.id) FROM jobs j LEFT JOIN applications a ON a.job_id = j.id WHERE a.stage = 'hired'",
    ),
    undefined,
  );
  // counting the joined rows themselves
  assert.equal(
    needlessCountJoin('SELECT count(DISTINCT a.candidate_id) FROM jobs j LEFT JOIN applications a ON a.job_id = j.id'),
    undefined,
  );
  // an INNER JOIN drops first-table rows without a match: the number may differ
  assert.equal(
    needlessCountJoin('SELECT count(DISTINCT j.id) FROM jobs j JOIN applications a ON a.job_id = j.id'),
    undefined,
  );
  // count(*) counts the repeats: the join changes the number
  assert.equal(needlessCountJoin('SELECT count(*) FROM jobs j LEFT JOIN applications a ON a.job_id = j.id'), undefined);
  // grouped counts, one per group of the joined table
  assert.equal(
    needlessCountJoin(
      'SELECT count(DISTINCT j.id) FROM jobs j LEFT JOIN applications a ON a.job_id = j.id GROUP BY a.stage',
    ),
    undefined,
  );
});
