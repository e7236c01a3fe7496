// slow-query: statements whose own text is the fix, whatever index is added (a wrapped filter on a joined
// table, a key compared with another type's value, a random order)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryRecord, SourceLocation } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { capture, request } from '../test-support/captures.js';
import { driver } from '../test-support/slow-query.js';

test('a wrapped filter on a joined table: MySQL starts from the unfiltered table read whole, and the fix is the filter', () => {
  // orders of one day with their customers: DATE() hides created_on from its index, so the plan reads every
  // customer and looks up each one's orders by customer_id, testing the day row by row
  const sql =
    'SELECT o.id, o.total, c.name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE DATE(o.created_on) = ? ORDER BY o.created_on';
  const plan = [
    'id=1 select_type=SIMPLE table=c type=ALL possible_keys=PRIMARY key=NULL rows=50000 Extra=Using temporary; Using filesort',
    'id=1 select_type=SIMPLE table=o type=ref possible_keys=orders_customer key=orders_customer ref=shop.c.id rows=8 Extra=Using where',
  ];
  const finder: SourceLocation = { file: '/app/src/orders.js', line: 2, column: 10, functionName: 'ordersOfDay' };
  const source = [
    'function ordersOfDay(day) {',
    '  return db.query(',
    '    `SELECT o.id, o.total, c.name',
    '       FROM orders o JOIN customers c ON c.id = o.customer_id',
    '      WHERE DATE(o.created_on) = ?',
    '      ORDER BY o.created_on`,',
    '    [day],',
    '  );',
    '}',
  ].join('\n');
  const query: QueryRecord = { driver: 'mariadb', sql, durationMs: 900, rows: 40, stack: [driver, finder], plan };
  const slow = capture([1, 2, 3].map((id) => request({ id, items: 40, wallMs: 950, queries: [query] })));
  const [top] = diagnoseFully(slow, rules, (path) => (path === finder.file ? source : undefined)).findings;
  assert.equal(top?.rule, 'slow-query');
  assert.deepEqual(top?.location && [top.location.file, top.location.line], ['/app/src/orders.js', 5]);
  assert.match(top?.title ?? '', /reads all of customers and, for each of its rows, orders through orders_customer/);
  assert.match(top?.title ?? '', /wraps created_on in DATE\(\), which no index on created_on serves/);
  assert.doesNotMatch(`${top?.title} ${top?.suggestion}`, /CREATE INDEX/);
  assert.match(top?.suggestion ?? '', /^Compare created_on itself with a range/);
});

test('an index the server could not use (a varchar key compared with a number): pass the value as text, no index to add', () => {
  // an imported post looked up by its old reference, a VARCHAR with a unique key; the route hands the
  // reference over as a number, so MariaDB converts every row's reference and reads posts whole
  const sql =
    'SELECT p.id, p.title, g.slug FROM posts p JOIN groups g ON g.id = p.group_id WHERE p.old_ref = ? LIMIT 1';
  const plan = [
    'table=g type=index possible_keys=PRIMARY key=groups_slug rows=200 Extra=Using index',
    'table=p type=ref possible_keys=uq_old_ref,posts_group key=posts_group rows=800 Extra=Using where',
    'note=unusable-key key=uq_old_ref of=posts column=old_ref column_type=varchar value_type=int',
  ];
  const finder: SourceLocation = { file: '/app/src/posts.js', line: 2, column: 22, functionName: 'byOldRef' };
  const source = [
    'async function byOldRef(ref) {',
    '  const rows = await query(',
    '    `SELECT p.id, p.title, g.slug',
    '       FROM posts p JOIN groups g ON g.id = p.group_id',
    '      WHERE p.old_ref = ?',
    '      LIMIT 1`,',
    '    [ref],',
    '  );',
    '  return rows[0];',
    '}',
  ].join('\n');
  const query: QueryRecord = { driver: 'mysql', sql, durationMs: 420, rows: 1, stack: [driver, finder], plan };
  const slow = capture([1, 2, 3].map((id) => request({ id, items: 1, wallMs: 450, queries: [query] })));
  const [top] = diagnoseFully(slow, rules, (path) => (path === finder.file ? source : undefined)).findings;
  assert.equal(top?.rule, 'slow-query');
  assert.deepEqual(top?.location && [top.location.file, top.location.line], ['/app/src/posts.js', 5]);
  assert.match(top?.title ?? '', /compares old_ref with a int value \(the column is varchar\)/);
  assert.match(top?.title ?? '', /uq_old_ref cannot serve the filter/);
  assert.doesNotMatch(`${top?.title} ${top?.suggestion}`, /CREATE INDEX|add the index/);
  assert.match(top?.suggestion ?? '', /^Pass old_ref's value as a varchar/);
});

test('a few random rows ordered by RAND(): every matching row is read and sorted, the fix is drawing keys, no index', () => {
  // "tips of the day": three random published tips, ordered by RAND() over the 90,000 that match
  const sql =
    "SELECT t.id, t.text, a.name FROM tips t JOIN authors a ON a.id = t.author_id WHERE t.state = 'live' ORDER BY RAND() LIMIT 3";
  const plan = [
    'table=t type=ALL possible_keys=tips_author key=NULL rows=90000 Extra=Using where; Using temporary; Using filesort',
    'table=a type=eq_ref possible_keys=PRIMARY key=PRIMARY rows=1 Extra=',
  ];
  const finder: SourceLocation = { file: '/app/src/tips.js', line: 2, column: 10, functionName: 'tipsOfTheDay' };
  const source = [
    'function tipsOfTheDay() {',
    '  return pool.query(',
    '    `SELECT t.id, t.text, a.name',
    '       FROM tips t JOIN authors a ON a.id = t.author_id',
    "      WHERE t.state = 'live'",
    '      ORDER BY RAND()',
    '      LIMIT 3`,',
    '  );',
    '}',
  ].join('\n');
  const query: QueryRecord = { driver: 'mariadb', sql, durationMs: 700, rows: 3, stack: [driver, finder], plan };
  const slow = capture([1, 2, 3].map((id) => request({ id, items: 3, wallMs: 720, queries: [query] })));
  const [top] = diagnoseFully(slow, rules, (path) => (path === finder.file ? source : undefined)).findings;
  assert.equal(top?.rule, 'slow-query');
  assert.deepEqual(top?.location && [top.location.file, top.location.line], ['/app/src/tips.js', 6]);
  assert.match(
    top?.title ?? '',
    /orders every row its filter keeps by RAND\(\) .* reads all of tips and sorts them all/,
  );
  assert.doesNotMatch(`${top?.title} ${top?.suggestion}`, /CREATE INDEX|add the index/);
  assert.match(top?.suggestion ?? '', /^Draw the random rows by key/);
});

test('an UPDATE with no WHERE, run for one change, is placed where the write starts and asks for a WHERE', () => {
  // after one order: every product's order count recomputed by a query builder, the ids at hand unused
  const sql =
    'update "products" set "order_count" = (select count(*) from "order_lines" where "order_lines"."product_id" = "products"."id")';
  const refresh: SourceLocation = { file: '/app/src/counters.ts', line: 7, column: 6, functionName: 'refreshCounts' };
  const source = [
    'export async function refreshCounts(db, productIds) {',
    '  await db',
    "    .updateTable('products')",
    '    .set((eb) => ({',
    "      order_count: eb.selectFrom('order_lines').select(eb.fn.countAll().as('n')).whereRef('product_id', '=', 'products.id'),",
    '    }))',
    '    .execute();',
    '}',
  ].join('\n');
  const query: QueryRecord = { driver: 'pg', sql, durationMs: 700, rows: 30_000, stack: [driver, refresh] };
  const slow = capture([1, 2, 3].map((id) => request({ id, method: 'POST', items: 1, wallMs: 740, queries: [query] })));
  const [top] = diagnoseFully(slow, rules, (path) => (path === refresh.file ? source : undefined)).findings;
  assert.equal(top?.rule, 'slow-query');
  assert.deepEqual(top?.location && [top.location.file, top.location.line], ['/app/src/counters.ts', 3]);
  assert.match(top?.title ?? '', /the UPDATE has no WHERE, so every run rewrites all 30,000 rows of products/);
  assert.match(top?.suggestion ?? '', /^Restrict the UPDATE at .*counters\.ts:3 .*to the rows this request changed/);
  assert.doesNotMatch(`${top?.title} ${top?.suggestion}`, /CREATE INDEX/);
});

test('a join on a varchar column holding the ids of an int key: the ON line, the column type to change, no index to add', () => {
  // per-track play counts of an album, the plays' track reference a VARCHAR joined to the tracks' INT id
  const sql =
    'select `t`.`id`, `t`.`title`, count(e.id) as `plays` from `tracks` as `t` left join `play_events` as `e` on `e`.`track_ref` = `t`.`id` and `e`.`played_at` >= ? where `t`.`album_id` = ? group by `t`.`id`, `t`.`title`';
  const plan = [
    'id=1 select_type=SIMPLE table=t type=ref possible_keys=idx_tracks_album key=idx_tracks_album rows=12 r_filtered=100 Extra=Using temporary; Using filesort',
    'id=1 select_type=SIMPLE table=e type=ALL possible_keys=idx_play_events_track_time key=NULL rows=596844 r_filtered=0 Extra=Using where; Using join buffer (flat, BNL join)',
    'note=unusable-key key=idx_play_events_track_time of=play_events column=track_ref column_type=varchar value_type=int',
  ];
  const route: SourceLocation = { file: '/app/src/routes/albums.ts', line: 12, column: 10, functionName: 'stats' };
  const source = [
    'export async function stats(db, albumId, since) {',
    '  return db',
    "    .selectFrom('tracks as t')",
    "    .leftJoin('play_events as e', (join) =>",
    "      join.onRef('e.track_ref', '=', 't.id').on('e.played_at', '>=', since),",
    '    )',
    "    .select(['t.id', 't.title', sql`count(e.id)`.as('plays')])",
    "    .where('t.album_id', '=', albumId)",
    "    .groupBy(['t.id', 't.title'])",
    "    .orderBy('t.id')",
    '    .execute()',
    '    .then((rows) => rows);',
    '}',
  ].join('\n');
  const query: QueryRecord = { driver: 'mysql2', sql, durationMs: 1400, rows: 12, stack: [driver, route], plan };
  const slow = capture([1, 2, 3].map((id) => request({ id, items: 12, wallMs: 1450, queries: [query] })));
  const [top] = diagnoseFully(slow, rules, (path) => (path === route.file ? source : undefined)).findings;
  assert.equal(top?.rule, 'slow-query');
  assert.equal(top?.location?.line, 5, 'the ON condition comparing track_ref');
  assert.match(top?.title ?? '', /joins on track_ref \(a varchar\) with a int column/);
  assert.doesNotMatch(`${top?.title} ${top?.suggestion}`, /CREATE INDEX|declares an index/);
  assert.match(top?.suggestion ?? '', /^Give track_ref the type of the column it is joined to/);
});
