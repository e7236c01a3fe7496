import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  joinScanAdvice,
  joinScanHint,
  joinScanIndex,
  sqliteAutomaticIndexes,
  sqliteJoinScans,
} from './sqlite-join-scans.js';

// a shop's order list: each order's line items and coupon joined in, newest orders first
const orders =
  'select `orders`.`id`, count(`items`.`id`) as `lines`, `c`.`code` from `orders` left join `items` on `orders`.`id` = `items`.`order_ref` left join `coupons` as `c` on `c`.`id` = `orders`.`coupon_id` group by `orders`.`id` order by `orders`.`placed_at` desc limit ?';

test('a table scanned whole after the loop has started is read once per outer row, with the join that wants an index', () => {
  const plan = [
    'SCAN orders',
    'SCAN items LEFT-JOIN',
    'SEARCH c USING INTEGER PRIMARY KEY (rowid=?) LEFT-JOIN',
    'USE TEMP B-TREE FOR ORDER BY',
  ];
  assert.deepEqual(sqliteJoinScans(plan, orders), [
    { table: 'items', alias: 'items', outer: 'orders', column: 'order_ref', other: 'orders.id' },
  ]);
});

test('a whole index walked per outer row counts too; an alias names its table and its ON clause', () => {
  const plan = ['SCAN orders', 'SCAN c USING COVERING INDEX coupons_code_unique LEFT-JOIN'];
  assert.deepEqual(sqliteJoinScans(plan, orders), [
    { table: 'coupons', alias: 'c', outer: 'orders', column: 'id', other: 'orders.coupon_id' },
  ]);
});

test('lookups, automatic indexes, the outer scan itself and nested plans are not join scans', () => {
  const served = [
    'SCAN orders',
    'SEARCH items USING AUTOMATIC COVERING INDEX (order_ref=?) LEFT-JOIN',
    'SEARCH c USING INTEGER PRIMARY KEY (rowid=?) LEFT-JOIN',
  ];
  assert.deepEqual(sqliteJoinScans(served, orders), []);
  assert.deepEqual(sqliteJoinScans(['SCAN orders', 'USE TEMP B-TREE FOR ORDER BY'], orders), []);
  const nested = ['SCAN orders', 'CORRELATED SCALAR SUBQUERY 1', 'SCAN items'];
  assert.deepEqual(sqliteJoinScans(nested, orders), []);
});

test('the words say which table is read per row and that the column types decide, and place the index', () => {
  const scans = sqliteJoinScans(['SEARCH orders USING INTEGER PRIMARY KEY (rowid=?)', 'SCAN items'], orders);
  const hint = joinScanHint(scans, 'CREATE INDEX ON items (order_ref)');
  assert.match(hint, /reads all of items for each row of orders, to join it by order_ref = orders\.id/);
  assert.match(hint, /CREATE INDEX ON items \(order_ref\)/);
  assert.match(hint, /types differ/);
  const advice = joinScanAdvice(scans, 'CREATE INDEX ON items (order_ref)', 'In the migration: ');
  assert.match(
    advice,
    /^In the migration: CREATE INDEX ON items \(order_ref\), with items\.order_ref given the declared type of orders\.id/,
  );
});

test('the join key is the one to a table read before the scan, not to one looked up after it; the index is that key alone', () => {
  // a product's reviews with their authors, newest first: the product is found first, then its reviews
  const reviews =
    'select r.id, u.name from reviews as r inner join users as u on r.author = u.id inner join products as p on r.product = p.id where p.sku = ? order by r.created_at desc';
  const plan = [
    'SEARCH p USING INDEX products_sku_unique (sku=?)',
    'SCAN r',
    'SEARCH u USING INTEGER PRIMARY KEY (rowid=?)',
  ];
  const scans = sqliteJoinScans(plan, reviews);
  assert.deepEqual(scans, [
    { table: 'reviews', alias: 'r', outer: 'products', column: 'product', other: 'products.id' },
  ]);
  assert.equal(joinScanIndex(scans[0]), 'CREATE INDEX ON reviews (product)');
});

test('a join SQLite indexes for itself on every run reads the whole table each run: the index is the one it built', () => {
  // a regional spending report: customers filtered by region, their orders joined by a text code
  const report =
    'SELECT c.id, c.name, count(o.id) AS orders, sum(o.total) AS spent FROM customers c JOIN orders o ON o.customer_code = c.code WHERE c.region = ? GROUP BY c.id ORDER BY spent DESC LIMIT 10';
  const plan = ['SCAN c', 'SEARCH o USING AUTOMATIC COVERING INDEX (customer_code=?)', 'USE TEMP B-TREE FOR ORDER BY'];
  const built = sqliteAutomaticIndexes(plan, report);
  assert.deepEqual(built, [
    {
      table: 'orders',
      alias: 'o',
      outer: 'customers',
      column: 'customer_code',
      automatic: true,
      other: 'customers.code',
    },
  ]);
  assert.equal(joinScanIndex(built[0]), 'CREATE INDEX ON orders (customer_code)');
  const hint = joinScanHint(built, 'CREATE INDEX ON orders (customer_code)');
  assert.match(hint, /reads all of orders and indexes it by customer_code for this statement alone/);
  assert.doesNotMatch(hint, /types differ/, 'an automatic index means the compared types match');
  assert.match(
    joinScanAdvice(built, 'CREATE INDEX ON orders (customer_code)', ''),
    /^CREATE INDEX ON orders \(customer_code\): /,
  );
  // a partial automatic index on two columns; a permanent index or a per-row scan is none
  const two = sqliteAutomaticIndexes(
    ['SCAN s', 'SEARCH l USING AUTOMATIC PARTIAL COVERING INDEX (shipment=? AND kind=?) LEFT-JOIN'],
    'select * from shipments s left join legs l on l.shipment = s.id and l.kind = s.kind',
  );
  assert.equal(two[0]?.column, 'shipment, kind');
  assert.deepEqual(sqliteAutomaticIndexes(['SCAN c', 'SEARCH o USING INDEX oc (customer_code=?)'], report), []);
  assert.deepEqual(sqliteAutomaticIndexes(['SCAN c', 'SCAN o'], report), []);
});
