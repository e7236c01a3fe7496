import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deepOffset } from './deep-offset.js';

test('MySQL/MariaDB: page 3,000 of a list walks the primary key over every row before it', () => {
  const sql = 'SELECT `e`.`id`, `e`.`action` FROM `events` `e` ORDER BY `e`.`id` DESC LIMIT 50 OFFSET 149950';
  const plan = ['table=e type=index possible_keys=NULL key=PRIMARY rows=150000 Extra='];
  assert.deepEqual(deepOffset('mysql2', plan, sql, 50), { walked: 150_000, index: 'PRIMARY' });
  assert.deepEqual(deepOffset('mariadb', plan, sql.replace('LIMIT 50 OFFSET 149950', 'LIMIT ?, ?'), 50), {
    walked: 150_000,
    index: 'PRIMARY',
  });
});

test('PostgreSQL: a Limit whose start-up cost is the skipping', () => {
  const sql = 'select * from events order by id desc limit $1 offset $2';
  const plan = [
    'Limit  (cost=5210.40..5212.14 rows=50 width=120)',
    '  ->  Index Scan Backward using events_pkey on events  (cost=0.42..5210.00 rows=150000 width=120)',
  ];
  assert.deepEqual(deepOffset('pg', plan, sql, 50), { walked: 150_000 });
});

test('the first page, a filtered walk, a sort of the whole table, or no OFFSET: not this', () => {
  const first = ['table=e type=index possible_keys=NULL key=PRIMARY rows=50 Extra='];
  assert.equal(deepOffset('mysql2', first, 'SELECT * FROM e ORDER BY id LIMIT 50 OFFSET 0', 50), undefined);
  const filtered = ['table=e type=index possible_keys=NULL key=PRIMARY rows=150000 Extra=Using where'];
  assert.equal(
    deepOffset('mysql2', filtered, 'SELECT * FROM e WHERE a = ? ORDER BY id LIMIT 50 OFFSET 900', 50),
    undefined,
  );
  const sorted = ['table=e type=ALL possible_keys=NULL key=NULL rows=150000 Extra=Using filesort'];
  assert.equal(deepOffset('mysql2', sorted, 'SELECT * FROM e ORDER BY at LIMIT 50 OFFSET 900', 50), undefined);
  const pgFirst = ['Limit  (cost=0.42..2.14 rows=50 width=120)', '  ->  Index Scan using events_pkey on events'];
  assert.equal(deepOffset('pg', pgFirst, 'select * from events order by id limit 50 offset 0', 50), undefined);
  assert.equal(deepOffset('mysql2', first, 'SELECT * FROM e ORDER BY id LIMIT 50', 50), undefined);
});

test('PostgreSQL: a top-N Sort under a Limit starts late at OFFSET 0 too; only the start-up the Limit adds is skipping', () => {
  const sql =
    'select value, score from members m join scores s on s.key = m.key where m.key = any($1) order by score desc limit $3 offset $2';
  const firstPage = [
    'Limit  (cost=71.05..71.06 rows=4 width=16)',
    '  ->  Sort  (cost=71.05..71.06 rows=4 width=16)',
    '        Sort Key: s.score DESC',
  ];
  assert.equal(deepOffset('pg', firstPage, sql, 200), undefined);
  const deepPage = [
    'Limit  (cost=1650.00..1651.00 rows=50 width=16)',
    '  ->  Sort  (cost=1000.00..1700.00 rows=40000 width=16)',
    '        Sort Key: s.score DESC',
  ];
  assert.deepEqual(deepOffset('pg', deepPage, sql, 50), { walked: 40_000 });
});

test('a known OFFSET far from the start is the skipping, whatever the plan chose to read', () => {
  // MariaDB gives up the (created_at, id) index for a page 1,500 deep and sorts the whole table instead
  const sql = 'SELECT id, action FROM audit_events ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?';
  const sorted = ['table=audit_events type=ALL possible_keys=NULL key=NULL rows=698000 Extra=Using filesort'];
  assert.deepEqual(deepOffset('mariadb', sorted, sql, 51, 74_950), { walked: 75_001, skipped: 74_950 });
  const walkedIndex = ['table=e type=index possible_keys=NULL key=PRIMARY rows=30000 Extra='];
  assert.deepEqual(deepOffset('mysql2', walkedIndex, sql, 50, 30_000), {
    walked: 30_050,
    index: 'PRIMARY',
    skipped: 30_000,
  });
  // a near page, or one skipping few rows per row it returns, stays with the plan's reading
  assert.equal(deepOffset('mariadb', sorted, sql, 51, 500), undefined);
  assert.equal(deepOffset('mariadb', sorted, sql, 5_000, 12_000), undefined);
});
