import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexColumns, readPlan, suggestedIndex } from './plan-facts.js';

test('PostgreSQL: a sequential scan and a sort after it', () => {
  const plan = [
    'Limit  (cost=1.00..2.00 rows=20 width=8)',
    '  ->  Sort  (cost=1.00..2.00 rows=600 width=8)',
    '        Sort Key: price',
    '        ->  Seq Scan on products  (cost=0.00..1.00 rows=600 width=8)',
    "              Filter: (brand = 'acme'::text)",
  ];
  assert.deepEqual(readPlan('pg', plan), { scanned: ['products'], sorted: true });
  assert.deepEqual(readPlan('pg', ['Index Scan using products_pkey on products']), { scanned: [], sorted: false });
});

test('MySQL/MariaDB: type ALL is a full scan; filesort a sort', () => {
  const plan = ['table=audit type=ALL possible_keys=NULL key=NULL rows=400000 Extra=Using where; Using filesort'];
  assert.deepEqual(readPlan('mysql2', plan), { scanned: ['audit'], sorted: true });
});

test('SQLite: SCAN without an index, and the temporary B-tree for ORDER BY', () => {
  assert.deepEqual(readPlan('better-sqlite3', ['SCAN orders', 'USE TEMP B-TREE FOR ORDER BY']), {
    scanned: ['orders'],
    sorted: true,
  });
  assert.deepEqual(readPlan('better-sqlite3', ['SEARCH orders USING INDEX idx (customer=?)']), {
    scanned: [],
    sorted: false,
  });
  assert.deepEqual(readPlan('better-sqlite3', ['SCAN orders USING COVERING INDEX idx']), {
    scanned: [],
    sorted: false,
  });
});

test('the index serves the filter first, then the order', () => {
  assert.deepEqual(indexColumns('SELECT * FROM products WHERE brand = $1 ORDER BY price LIMIT 20'), ['brand', 'price']);
  assert.deepEqual(indexColumns('select * from `audit` where `audit`.`actor` = ? order by `created_at` desc limit ?'), [
    'actor',
    'created_at',
  ]);
  assert.equal(
    suggestedIndex('products', 'SELECT * FROM products WHERE brand = ? ORDER BY price'),
    'CREATE INDEX ON products (brand, price)',
  );
  assert.equal(suggestedIndex('products', 'SELECT * FROM products'), undefined);
});
