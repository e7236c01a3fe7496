import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryRecord, SourceLocation } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { declarationsIn } from '../schema/table-declarations.js';
import { capture, request } from '../test-support/captures.js';

const driver: SourceLocation = { file: '/app/node_modules/pg/lib/client.js', line: 500, column: 1, package: 'pg' };
const repo: SourceLocation = { file: '/app/src/repo.js', line: 14, column: 3, functionName: 'byBrand' };
const sql = 'SELECT * FROM products WHERE brand = $1 ORDER BY price LIMIT 20';
const seqScan = [
  'Limit  (cost=1.00..2.00 rows=20 width=8)',
  '  ->  Sort  (cost=1.00..2.00 rows=600 width=8)',
  '        Sort Key: price',
  '        ->  Seq Scan on products  (cost=0.00..1.00 rows=600 width=8)',
  "              Filter: (brand = 'acme'::text)",
];

function slowCapture(extra: Partial<QueryRecord> = { plan: seqScan }) {
  const query: QueryRecord = { driver: 'pg', sql, durationMs: 300, rows: 20, stack: [driver, repo], ...extra };
  return capture([1, 2, 3].map((id) => request({ id, items: 20, wallMs: 320, queries: [query] })));
}

const schemaFile = [
  "import { pool } from './db.js';",
  'export const ready = pool.query(`',
  '  CREATE TABLE IF NOT EXISTS brands (id serial PRIMARY KEY, name text);',
  '  CREATE TABLE IF NOT EXISTS products (id serial PRIMARY KEY, brand text, price int);',
  '  CREATE INDEX IF NOT EXISTS products_price_idx ON products (price);',
  '`);',
].join('\n');

test('a missing index is placed after the last index the app declares for the table, the query kept in the evidence', () => {
  const schema = declarationsIn('/app/src/schema.js', schemaFile);
  const [top] = diagnoseFully(slowCapture(), rules, undefined, schema).findings;
  assert.equal(top?.rule, 'slow-query');
  assert.deepEqual(top?.location && [top.location.file, top.location.line], ['/app/src/schema.js', 5]);
  assert.equal(top?.evidence.find((e) => e.label === 'queried at')?.value, '/app/src/repo.js:14 (byBrand)');
  assert.match(
    top?.title ?? '',
    /at \/app\/src\/repo\.js:14 \(byBrand\).*beside the other indexes of products at \/app\/src\/schema\.js:5/,
  );
  assert.match(
    top?.suggestion ?? '',
    /^Add the index beside the other indexes of products at.*CREATE INDEX ON products \(brand, price\)/,
  );
});

test('an entity class with no index yet: a one-column index goes on the property that maps the column', () => {
  const entity = [
    "import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';",
    '',
    "@Entity({ name: 'products' })",
    'export class Product {',
    '  @PrimaryGeneratedColumn()',
    '  id: number;',
    '',
    '  @Column()',
    '  brand: string;',
    '}',
  ].join('\n');
  const file = '/app/src/product.entity.ts';
  const byBrand = 'SELECT * FROM products WHERE brand = $1';
  const plan = ['Seq Scan on products  (cost=0.00..1.00 rows=600 width=8)', "  Filter: (brand = 'acme'::text)"];
  const query: QueryRecord = { driver: 'pg', sql: byBrand, durationMs: 300, rows: 20, stack: [driver, repo], plan };
  const slow = capture([1, 2, 3].map((id) => request({ id, items: 20, wallMs: 320, queries: [query] })));
  const read = (path: string) => (path === file ? entity : undefined);
  const [top] = diagnoseFully(slow, rules, read, declarationsIn(file, entity)).findings;
  assert.equal(top?.rule, 'slow-query');
  assert.deepEqual(top?.location && [top.location.file, top.location.line], [file, 8]);
  // two columns make a class-level index: the class's own line
  const [pair] = diagnoseFully(slowCapture(), rules, read, declarationsIn(file, entity)).findings;
  assert.deepEqual(pair?.location && [pair.location.file, pair.location.line], [file, 3]);
});

test('indexes declared apart from the table: the new one goes after the last of them', () => {
  const dump =
    'create table products (id int, brand text);\ncreate table brands (id int);\n\ncreate index on products (id);';
  const [top] = diagnoseFully(slowCapture(), rules, undefined, declarationsIn('/app/db/dump.sql', dump)).findings;
  assert.deepEqual(top?.location && [top.location.file, top.location.line], ['/app/db/dump.sql', 4]);
  assert.match(top?.title ?? '', /add the index beside the other indexes of products at \/app\/db\/dump\.sql:4/);
});

test('a table declared without indexes: the index goes to its declaration', () => {
  const schema = declarationsIn('/app/db/init.sql', 'create table products (\n  id int,\n  brand text\n);');
  const [top] = diagnoseFully(slowCapture(), rules, undefined, schema).findings;
  assert.deepEqual(top?.location && [top.location.file, top.location.line], ['/app/db/init.sql', 1]);
  assert.match(top?.title ?? '', /add the index where products is declared, \/app\/db\/init\.sql:1/);
});

test('no declaration of the table, or a slow query no index fixes: the statement line, as before', () => {
  const others = declarationsIn(
    '/app/src/schema.js',
    'db.exec("CREATE TABLE brands (id int); CREATE INDEX ON brands (id)")',
  );
  for (const schema of [[], others]) {
    const [top] = diagnoseFully(slowCapture(), rules, undefined, schema).findings;
    assert.equal(top?.location?.line, 14);
    assert.equal(
      top?.evidence.some((e) => e.label === 'queried at'),
      false,
    );
  }
  // without a plan there is no table to index: the statement is what to look at
  const schema = declarationsIn('/app/src/schema.js', schemaFile);
  const [unplanned] = diagnoseFully(slowCapture({}), rules, undefined, schema).findings;
  assert.equal(unplanned?.rule, 'slow-query');
  assert.equal(unplanned?.location?.file, '/app/src/repo.js');
});

test('a query builder’s slow statement is named where the builder was made, not where a caller awaited it', () => {
  // Knex: `return db('products').where(…).orderBy(…)` in the repository, awaited by the route handler
  const handler: SourceLocation = { file: '/app/server.js', line: 12, column: 5, functionName: 'top' };
  const builtAt: SourceLocation = { file: '/app/src/repo.js', line: 6, column: 10, functionName: 'topRuns' };
  const [top] = diagnoseFully(slowCapture({ plan: seqScan, stack: [driver, handler], builtAt }), rules).findings;
  assert.equal(top?.rule, 'slow-query');
  assert.deepEqual(top?.location && [top.location.file, top.location.line], ['/app/src/repo.js', 6]);
});

test('a builder made on one line and awaited below: the line of the chain that writes the sorted column', () => {
  // `const q = knex('products').select(…)`, filters added when asked, then `await q.orderBy('price').limit(20)`
  const source = [
    "import { knex } from './db.js';",
    '',
    'export async function byBrand(brand, page) {',
    "  const q = knex('products').select('id', 'name', 'price');",
    "  if (brand) q.where('brand', brand);",
    '  // newest pages first',
    "  return await q.orderBy('price', 'desc').offset(page * 20).limit(20);",
    '}',
  ].join('\n');
  const builtAt: SourceLocation = { file: '/app/src/repo.js', line: 4, column: 13, functionName: 'byBrand' };
  const awaited: SourceLocation = { ...builtAt, line: 7, column: 16 };
  const read = (path: string) => (path === builtAt.file ? source : undefined);
  const plan = [
    'Limit  (cost=52001.00..52003.00 rows=20 width=8)',
    '  ->  Sort  (cost=51001.00..51751.00 rows=300000 width=8)',
    '        Sort Key: price DESC',
    '        ->  Seq Scan on products  (cost=0.00..5500.00 rows=300000 width=8)',
  ];
  const unfiltered = { plan, sql: 'SELECT id, name, price FROM products ORDER BY price DESC LIMIT 20 OFFSET 40000' };
  const [top] = diagnoseFully(slowCapture({ ...unfiltered, stack: [driver, awaited], builtAt }), rules, read).findings;
  assert.equal(top?.rule, 'slow-query');
  assert.deepEqual(top?.location && [top.location.file, top.location.line], ['/app/src/repo.js', 7]);
  // the filter's column, where the plan keys the index by it
  const filtered = source.replace("q.orderBy('price', 'desc')", 'q');
  const readFiltered = (path: string) => (path === builtAt.file ? filtered : undefined);
  const [byFilter] = diagnoseFully(
    slowCapture({ plan: seqScan, stack: [driver, awaited], builtAt }),
    rules,
    readFiltered,
  ).findings;
  assert.equal(byFilter?.location?.line, 5);
  // without the source, the line that made the builder
  const [unread] = diagnoseFully(slowCapture({ ...unfiltered, stack: [driver, awaited], builtAt }), rules).findings;
  assert.equal(unread?.location?.line, 4);
});

test('a builder returned unawaited to the route: the line of its chain that sorts the page, not the filter', () => {
  const source = [
    'async function list({ status, limit = 50 } = {}) {',
    "  const query = db('shipments').select(COLUMNS);",
    '  if (status) {',
    "    query.where('status', status);",
    '  }',
    '  return query',
    "    .orderBy('updated_at', 'desc')",
    '    .limit(limit);',
    '}',
    '',
    'async function byTracking(no) {',
    "  return db('shipments').where('tracking_no', no).orderBy('updated_at').first();",
    '}',
  ].join('\n');
  const builtAt: SourceLocation = { file: '/app/src/repo.js', line: 2, column: 17, functionName: 'list' };
  const route: SourceLocation = { file: '/app/src/routes.js', line: 9, column: 20, functionName: 'handler' };
  const read = (path: string) => (path === builtAt.file ? source : undefined);
  const plan = [
    'Limit  (cost=52001.00..52003.00 rows=50 width=8)',
    '  ->  Sort  (cost=51001.00..51751.00 rows=60000 width=8)',
    '        Sort Key: updated_at DESC',
    '        ->  Seq Scan on shipments  (cost=0.00..5500.00 rows=60000 width=8)',
    "              Filter: (status = 'in_transit'::text)",
  ];
  const sqlText = 'SELECT id FROM shipments WHERE status = $1 ORDER BY updated_at DESC LIMIT $2';
  const [top] = diagnoseFully(
    slowCapture({ plan, sql: sqlText, stack: [driver, route], builtAt }),
    rules,
    read,
  ).findings;
  assert.match(top?.title ?? '', /\(status, updated_at\)/);
  assert.deepEqual(top?.location && [top.location.file, top.location.line], ['/app/src/repo.js', 7]);
});

test('an export that returns most of the rows it reads saves only the rest by an index (MySQL plans count them)', () => {
  const exportSql = 'SELECT id, total FROM orders WHERE created_at >= ? ORDER BY created_at, id LIMIT ?';
  const plan = (examined: number) => [
    `id=1 select_type=SIMPLE table=orders type=ALL possible_keys=orders_created key=NULL rows=${examined} Extra=Using where; Using filesort`,
  ];
  const exported = (rows: number, examined: number) =>
    diagnoseFully(
      capture(
        [1, 2, 3].map((id) =>
          request({
            id,
            items: rows,
            wallMs: 800,
            queries: [
              { driver: 'mysql2', sql: exportSql, durationMs: 700, rows, plan: plan(examined), stack: [driver, repo] },
            ],
          }),
        ),
      ),
      rules,
    ).findings.find((f) => f.rule === 'slow-query');
  // 50,000 of 80,000: an index spares the 30,000 others and the sort, not the rows sent
  const most = exported(50_000, 80_000);
  assert.ok(most && (most.savesMs ?? 0) > 200 && (most.savesMs ?? 0) < 260, `saves ${most?.savesMs}`);
  // 20 of 80,000: the index spares nearly all of it
  const few = exported(20, 80_000);
  assert.ok(few && (few.savesMs ?? 0) > 600, `saves ${few?.savesMs}`);
});

test('a wildcard search in a builder chain: the line that writes the LIKE, not the execute below it', () => {
  const source = [
    'export async function searchUsers(q) {',
    '  const term = q.trim().toLowerCase();',
    '  return db',
    "    .selectFrom('users')",
    "    .select(['id', 'email'])",
    "    .where('email', 'ilike', '%' + term + '%')",
    "    .orderBy('email')",
    '    .limit(20)',
    '    .execute();',
    '}',
  ].join('\n');
  const builtAt: SourceLocation = { file: '/app/src/users.js', line: 9, column: 6, functionName: 'searchUsers' };
  const route: SourceLocation = { file: '/app/src/server.js', line: 9, column: 17, functionName: 'search' };
  const read = (path: string) => (path === builtAt.file ? source : undefined);
  const plan = [
    'Limit  (cost=9001.00..9002.00 rows=20 width=8)',
    '  ->  Sort  (cost=9001.00..9002.00 rows=30 width=8)',
    '        Sort Key: email',
    '        ->  Seq Scan on users  (cost=0.00..9000.00 rows=30 width=8)',
    "              Filter: ((email)::text ~~* '%emma%'::text)",
  ];
  const [top] = diagnoseFully(
    slowCapture({
      plan,
      sql: 'SELECT id, email FROM users WHERE email ilike $1 ORDER BY email LIMIT $2',
      leadingWildcard: ['email'],
      stack: [driver, route],
      builtAt,
    }),
    rules,
    read,
  ).findings;
  assert.equal(top?.rule, 'slow-query');
  assert.match(top?.title ?? '', /wildcard/);
  assert.deepEqual(top?.location && [top.location.file, top.location.line], ['/app/src/users.js', 6]);
});

test('a lookup whose plan reads a whole table to filter it is slow from a quarter of its request; without that plan it is not', () => {
  // one of several lookups of a detail page, each well under half the request (comments by article, unindexed)
  const lookup = 'SELECT * FROM replies WHERE thread_id = $1';
  const scanPlan = [
    'Seq Scan on replies  (cost=0.00..3876.50 rows=50 width=62)',
    "  Filter: (thread_id = '5f7b9b5e'::uuid)",
  ];
  const page = (plan?: string[]) =>
    capture(
      [1, 2, 3].map((id) =>
        request({
          id,
          items: 45,
          wallMs: 140,
          queries: [
            { driver: 'pg', sql: lookup, durationMs: 45, rows: 45, stack: [driver, repo], ...(plan ? { plan } : {}) },
            {
              driver: 'pg',
              sql: 'SELECT * FROM threads WHERE slug = $1',
              durationMs: 8,
              rows: 1,
              stack: [driver, repo],
            },
          ],
        }),
      ),
    );
  const [scan] = diagnoseFully(page(scanPlan), rules).findings.filter((f) => f.rule === 'slow-query');
  assert.match(scan?.title ?? '', /the plan reads all of replies \(CREATE INDEX ON replies \(thread_id\)\)/);
  assert.equal(diagnoseFully(page(), rules).findings.filter((f) => f.rule === 'slow-query').length, 0);
  const indexed = ['Index Scan using replies_thread_idx on replies  (cost=0.42..8.44 rows=50 width=62)'];
  assert.equal(diagnoseFully(page(indexed), rules).findings.filter((f) => f.rule === 'slow-query').length, 0);
});

test('a page of the newest rows whose plan reads and sorts the whole table is slow from a quarter of its request', () => {
  const newest = 'SELECT * FROM posts ORDER BY created DESC LIMIT 20';
  const plan = ['table=posts type=ALL possible_keys=NULL key=NULL rows=29881 Extra=Using filesort'];
  const runs = [1, 2, 3].map((id) =>
    request({
      id,
      items: 20,
      wallMs: 60,
      queries: [
        { driver: 'mysql', sql: newest, durationMs: 26, rows: 20, stack: [driver, repo], plan },
        { driver: 'mysql', sql: 'SELECT COUNT(*) FROM posts', durationMs: 15, rows: 1, stack: [driver, repo] },
      ],
    }),
  );
  const [sorted] = diagnoseFully(capture(runs), rules).findings.filter((f) => f.rule === 'slow-query');
  assert.match(sorted?.title ?? '', /reads all of posts and sorts it \(CREATE INDEX ON posts \(created\)\)/);
});

test('a sort of the whole table for a page, under 20 ms but a third of its request, is said (info: it grows with the table)', () => {
  const newest = 'SELECT * FROM posts ORDER BY created DESC LIMIT 20';
  const plan = ['table=posts type=ALL possible_keys=NULL key=NULL rows=29400 Extra=Using filesort'];
  const runs = [1, 2, 3].map((id) =>
    request({
      id,
      items: 20,
      wallMs: 45,
      queries: [{ driver: 'mysql', sql: newest, durationMs: 16, rows: 20, stack: [driver, repo], plan }],
    }),
  );
  const [sorted] = diagnoseFully(capture(runs), rules).findings.filter((f) => f.rule === 'slow-query');
  assert.match(sorted?.title ?? '', /reads all of posts and sorts it \(CREATE INDEX ON posts \(created\)\)/);
  assert.equal(sorted?.severity, 'info');
  // the same page served by an index is no finding however large its share
  const indexed = ['table=posts type=index possible_keys=NULL key=posts_created rows=20 Extra='];
  const served = [1, 2, 3].map((id) =>
    request({
      id,
      items: 20,
      wallMs: 45,
      queries: [{ driver: 'mysql', sql: newest, durationMs: 16, rows: 20, stack: [driver, repo], plan: indexed }],
    }),
  );
  assert.equal(diagnoseFully(capture(served), rules).findings.filter((f) => f.rule === 'slow-query').length, 0);
});

test('SQLite builds a nested join whole before the outer filter: read the nested rows apart, no index advice', () => {
  const detail =
    'select `p`.*, `c`.`id` as `c__id`, `m`.`id` as `m__id` from `post` as `p` left join (`comment` as `c` inner join `member` as `m` on `c`.`member_id` = `m`.`id`) on `p`.`id` = `c`.`post_id` where `p`.`slug` = ?';
  const plan = [
    'MATERIALIZE (join-1)',
    'SCAN m',
    'SEARCH c USING INDEX comment_member_id_index (member_id=?)',
    'SEARCH p USING INDEX post_slug_unique (slug=?)',
    'SCAN (join-1) LEFT-JOIN',
  ];
  const runs = [1, 2, 3].map((id) =>
    request({
      id,
      items: 1,
      wallMs: 300,
      queries: [{ driver: 'sqlite3', sql: detail, durationMs: 280, rows: 5, stack: [driver, repo], plan }],
    }),
  );
  const [top] = diagnoseFully(capture(runs), rules).findings.filter((f) => f.rule === 'slow-query');
  assert.match(top?.title ?? '', /builds the nested join over all of member whole \(MATERIALIZE\)/);
  assert.match(top?.suggestion ?? '', /^Read the nested rows in a query of their own/);
  assert.deepEqual(top?.location && [top.location.file, top.location.line], ['/app/src/repo.js', 14]);
});

test('a lookup by an unindexed column that MariaDB drives from a joined table read in full: the index on the filtered table', () => {
  const bySlug =
    'select `p`.*, `m`.`id` as `m__id`, `m`.`name` as `m__name` from `post` as `p` left join `member` as `m` on `p`.`member_id` = `m`.`id` where `p`.`slug` = ? limit ?';
  const plan = [
    'table=m type=ALL possible_keys=PRIMARY key=NULL rows=4889 Extra=',
    'table=p type=ref possible_keys=post_member_id_index key=post_member_id_index rows=2 Extra=Using where',
  ];
  const runs = [1, 2, 3].map((id) =>
    request({
      id,
      items: 1,
      wallMs: 200,
      queries: [{ driver: 'mysql2', sql: bySlug, durationMs: 70, rows: 1, stack: [driver, repo], plan }],
    }),
  );
  const [top] = diagnoseFully(capture(runs), rules).findings.filter((f) => f.rule === 'slow-query');
  assert.ok(top, 'a third of the request in a lookup that reads every member and their posts');
  assert.match(top.title, /reads all of member and, for each of its rows, post through post_member_id_index/);
  assert.match(top.title, /CREATE INDEX ON post \(slug\)/);
  assert.doesNotMatch(top.suggestion ?? '', /No filter of the statement narrows/);
});

test('a scan beside an N+1 is judged against the time outside the loop: once the loop is fixed, it is most of the rest', () => {
  const scan = 'SELECT * FROM comments WHERE comments.article_id = ?';
  const plan = ['table=comments type=ALL possible_keys=NULL key=NULL rows=150000 Extra=Using where'];
  const perItem = 'SELECT * FROM users WHERE id = ?';
  const loopAt: SourceLocation = { file: '/app/src/serializer.js', line: 22, column: 5, functionName: 'serialize' };
  const runs = [1, 2, 3].map((id) =>
    request({
      id,
      items: 20,
      wallMs: 400,
      queries: [
        { driver: 'mysql', sql: scan, durationMs: 67, rows: 20, stack: [driver, repo], plan },
        ...Array.from({ length: 20 }, () => ({
          driver: 'mysql',
          sql: perItem,
          durationMs: 15,
          rows: 1,
          stack: [driver, loopAt],
        })),
      ],
    }),
  );
  const found = diagnoseFully(capture(runs), rules).findings;
  assert.ok(found.some((f) => f.rule === 'n-plus-one'));
  const slow = found.find((f) => f.rule === 'slow-query');
  assert.match(slow?.title ?? '', /spends 67\.0 ms in one query on comments .*CREATE INDEX ON comments \(article_id\)/);
  // without the loop, 67 ms of a 400 ms request whose rest is not repeated work stays under its share
  const alone = [1, 2, 3].map((id) =>
    request({
      id,
      items: 20,
      wallMs: 400,
      queries: [{ driver: 'mysql', sql: scan, durationMs: 67, rows: 20, stack: [driver, repo], plan }],
    }),
  );
  assert.equal(diagnoseFully(capture(alone), rules).findings.filter((f) => f.rule === 'slow-query').length, 0);
});

test("a list's page and its count scanning one table for one filter: one missing index, judged on their sum", () => {
  const page = 'SELECT * FROM posts WHERE posts.likes >= ? ORDER BY posts.created DESC LIMIT 20';
  const count = 'SELECT COUNT(*) FROM posts WHERE posts.likes >= ?';
  const plan = ['table=posts type=ALL possible_keys=NULL key=NULL rows=29841 Extra=Using where; Using filesort'];
  const countPlan = ['table=posts type=ALL possible_keys=NULL key=NULL rows=29841 Extra=Using where'];
  const countAt: SourceLocation = { file: '/app/src/repo.js', line: 9, column: 3, functionName: 'list' };
  const runs = [1, 2, 3].map((id) =>
    request({
      id,
      items: 20,
      wallMs: 60,
      queries: [
        { driver: 'mysql', sql: count, durationMs: 12, rows: 1, stack: [driver, countAt], plan: countPlan },
        { driver: 'mysql', sql: page, durationMs: 12, rows: 20, stack: [driver, repo], plan },
      ],
    }),
  );
  const found = diagnoseFully(capture(runs), rules).findings.filter((f) => f.rule === 'slow-query');
  assert.equal(found.length, 1, 'each under its own share (20%), together one finding');
  assert.match(found[0]?.title ?? '', /spends 24\.0 ms in 2 queries on posts at \/app\/src\/repo\.js:14/);
  assert.match(found[0]?.title ?? '', /CREATE INDEX ON posts \(likes, created\)/);
  assert.ok(found[0]?.evidence.some((e) => e.label === 'same scan' && /repo\.js:9/.test(e.value)));
});

test('a slow count over joins the plan reads in full, with no filter: no index advice, nor "run EXPLAIN" again', () => {
  const count =
    'SELECT count("Post"."id") AS "count" FROM "Posts" AS "Post" LEFT OUTER JOIN "PostTags" AS "tags" ON "Post"."id" = "tags"."postId"';
  const plan = [
    'Aggregate  (cost=7770.04..7770.05 rows=1 width=8)',
    '  ->  Hash Right Join  (cost=5680.50..7545.04 rows=90000 width=4)',
    '        ->  Seq Scan on "PostTags" "tags"  (cost=0.00..1387.00 rows=90000 width=10)',
    '        ->  Hash  (cost=5300.00..5300.00 rows=30000 width=8)',
    '              ->  Seq Scan on "Posts" "Post"  (cost=0.00..5300.00 rows=30000 width=8)',
  ];
  const runs = [1, 2, 3].map((id) =>
    request({
      id,
      items: 20,
      wallMs: 400,
      queries: [{ driver: 'pg', sql: count, durationMs: 240, rows: 1, stack: [driver, repo], plan }],
    }),
  );
  const [top] = diagnoseFully(capture(runs), rules).findings;
  assert.equal(top?.rule, 'slow-query');
  // the costlier of the two scans the plan expects (Posts, 5,300 against 1,387) is named
  assert.match(top?.suggestion ?? '', /^No filter of the statement narrows Posts, so no index serves it/);
  assert.doesNotMatch(top?.suggestion ?? '', /Run EXPLAIN/);
});

test('a filter that wraps a column in a function: the line that writes it, rewritten as a range, no index on other columns', () => {
  const daily =
    'SELECT status, currency, COUNT(*) AS invoices FROM invoices WHERE DATE(issued_at) = ? GROUP BY status, currency ORDER BY status, currency';
  const plan = [
    'table=invoices type=ALL possible_keys=NULL key=NULL rows=600000 Extra=Using where; Using temporary; Using filesort',
  ];
  const service: SourceLocation = { file: '/app/src/reports.js', line: 6, column: 29, functionName: 'dailySummary' };
  const source = [
    'async function dailySummary(day) {',
    '  // totals of one day',
    '',
    '',
    '',
    '  const [rows] = await pool.execute(',
    '    `SELECT status, currency, COUNT(*) AS invoices',
    '       FROM invoices',
    '      WHERE DATE(issued_at) = ?',
    '      GROUP BY status, currency`,',
    '    [day],',
    '  );',
  ].join('\n');
  const query: QueryRecord = { driver: 'mysql2', sql: daily, durationMs: 220, rows: 6, stack: [driver, service], plan };
  const slow = capture([1, 2, 3].map((id) => request({ id, items: 6, wallMs: 230, queries: [query] })));
  const [top] = diagnoseFully(slow, rules, (path) => (path === service.file ? source : undefined)).findings;
  assert.equal(top?.rule, 'slow-query');
  assert.deepEqual(top?.location && [top.location.file, top.location.line], ['/app/src/reports.js', 9]);
  assert.match(top?.title ?? '', /wraps issued_at in DATE\(\), which no index on issued_at serves/);
  assert.doesNotMatch(`${top?.title} ${top?.suggestion}`, /CREATE INDEX ON invoices \(status/);
  assert.match(top?.suggestion ?? '', /^Compare issued_at itself with a range/);
});

/** One statement, slow in each of three runs, with its PostgreSQL plan: its slow-query finding. */
function slowFinding(statement: string, plan: string[], items = 20) {
  const query: QueryRecord = {
    driver: 'pg',
    sql: statement,
    durationMs: 300,
    rows: items,
    stack: [driver, repo],
    plan,
  };
  const runs = [1, 2, 3].map((id) => request({ id, items, wallMs: 320, queries: [query] }));
  return diagnoseFully(capture(runs), rules).findings.find((f) => f.rule === 'slow-query');
}

test("an ORM's lateral joins, each with its own WHERE and LIMIT: every filtered scan is keyed by its plan Filter, costliest first", () => {
  const comments =
    'select "comments"."id", "comments_author"."data" as "author" from "comments" left join lateral (select json_build_array("comments_author"."id", "followers"."data") as "data" from (select * from "users" "comments_author" where "comments_author"."id" = "comments"."author_id" limit $1) "comments_author" left join lateral (select coalesce(json_agg("followers"."user_id"), $2::json) as "data" from "users_followers" "followers" where "followers"."following_id" = "comments_author"."id") "followers" on true) "comments_author" on true where "comments"."article_id" = $3';
  const plan = [
    'Nested Loop Left Join  (cost=1981.57..611059.07 rows=304 width=94)',
    '  ->  Seq Scan on comments  (cost=0.00..6207.75 rows=304 width=78)',
    "        Filter: (article_id = '8a8bb7cd-343a-a2ad-99b7-d762030857a2'::uuid)",
    '  ->  Nested Loop Left Join  (cost=1981.57..1989.63 rows=1 width=32)',
    '        ->  Limit  (cost=0.28..8.30 rows=1 width=645)',
    '              ->  Index Scan using users_pkey on users comments_author  (cost=0.28..8.30 rows=1 width=645)',
    '                    Index Cond: (id = comments.author_id)',
    '        ->  Aggregate  (cost=1981.29..1981.30 rows=1 width=32)',
    '              ->  Seq Scan on users_followers followers  (cost=0.00..1981.19 rows=20 width=32)',
    '                    Filter: (following_id = comments_author.id)',
  ];
  const found = slowFinding(comments, plan, 304);
  assert.match(
    found?.title ?? '',
    /reads all of users_followers \(CREATE INDEX ON users_followers \(following_id\)\), and all of comments to filter it \(CREATE INDEX ON comments \(article_id\)\)/,
  );
  assert.match(
    found?.suggestion ?? '',
    /^CREATE INDEX ON users_followers \(following_id\); CREATE INDEX ON comments \(article_id\)/,
  );
});

test("a column a scalar subquery compares is no key of the outer table's index; a function's call keys by the expression", () => {
  const page =
    'select "articles"."slug", coalesce((select count(*) from "user_favorite_articles" where "article_id" = "articles"."id"), $1) as "favoritesCount" from "articles" where "articles"."author_id" = (select "users"."id" from "users" where "users"."username" = $2) limit $3';
  const plan = [
    'Limit  (cost=12.94..8165.20 rows=10 width=1224)',
    '  InitPlan 1 (returns $1)',
    '    ->  Index Scan using users_username_key on users  (cost=0.28..8.30 rows=1 width=8)',
    "          Index Cond: ((username)::text = 'user7'::text)",
    '  ->  Seq Scan on articles  (cost=0.00..9782.72 rows=12 width=1224)',
    '        Filter: (author_id = $1)',
  ];
  assert.match(
    slowFinding(page, plan, 10)?.title ?? '',
    /reads all of articles \(CREATE INDEX ON articles \(author_id\)\)/,
  );
  const byTitle = 'select * from "articles" where lower("title") = $1';
  const lowered = [
    'Seq Scan on articles  (cost=0.00..20994.55 rows=300 width=1224)',
    "  Filter: (lower((title)::text) = 'article 500'::text)",
  ];
  assert.match(slowFinding(byTitle, lowered, 1)?.suggestion ?? '', /^CREATE INDEX ON articles \(lower\(title\)\);/);
});

test('a whole table read to match a few rows of a hash join: the index on its join column', () => {
  const feed =
    'select count(*) from "users" inner join "relationships" on "relationships"."follower_id" = "users"."id" inner join "articles" on "relationships"."followed_id" = "articles"."author_id" where "users"."username" = $1';
  const plan = [
    'Aggregate  (cost=9483.54..9483.55 rows=1 width=8)',
    '  ->  Hash Join  (cost=83.54..9482.94 rows=240 width=0)',
    '        Hash Cond: (articles.author_id = relationships.followed_id)',
    '        ->  Seq Scan on articles  (cost=0.00..9172.00 rows=60000 width=8)',
    '        ->  Hash  (cost=83.29..83.29 rows=20 width=8)',
    '              ->  Nested Loop  (cost=4.73..83.29 rows=20 width=8)',
    '                    ->  Index Scan using users_username_key on users  (cost=0.28..8.30 rows=1 width=8)',
    "                          Index Cond: ((username)::text = 'user1'::text)",
    '                    ->  Bitmap Heap Scan on relationships  (cost=4.45..74.79 rows=20 width=16)',
    '                          Recheck Cond: (follower_id = users.id)',
  ];
  const found = slowFinding(feed, plan, 10);
  assert.match(
    found?.title ?? '',
    /reads all of articles to match ≈20 rows of the join by author_id \(CREATE INDEX ON articles \(author_id\)\)/,
  );
});

test('a lookup table of a few rows read whole is not why a count over a join is slow', () => {
  const count =
    'select count(*) from "articles" inner join "article_tags" on "article_tags"."article_id" = "articles"."id" inner join "tags" on "tags"."id" = "article_tags"."tag_id" where "tags"."name" = $1';
  const plan = [
    'Aggregate  (cost=3547.73..3547.74 rows=1 width=8)',
    '  ->  Nested Loop  (cost=51.58..3537.73 rows=4000 width=0)',
    '        ->  Nested Loop  (cost=51.29..1142.67 rows=4000 width=8)',
    '              ->  Seq Scan on tags  (cost=0.00..1.38 rows=1 width=8)',
    "                    Filter: ((name)::text = 'tag3'::text)",
    '              ->  Bitmap Heap Scan on article_tags  (cost=51.29..1101.29 rows=4000 width=16)',
    '                    Recheck Cond: (tag_id = tags.id)',
    '                    ->  Bitmap Index Scan on article_tags_tag_id  (cost=0.00..50.29 rows=4000 width=0)',
    '                          Index Cond: (tag_id = tags.id)',
    '        ->  Index Only Scan using articles_pkey on articles  (cost=0.29..0.60 rows=1 width=8)',
    '              Index Cond: (id = article_tags.article_id)',
  ];
  const found = slowFinding(count, plan, 20);
  assert.doesNotMatch(found?.title ?? '', /tags \(name\)|reads all of tags/);
  assert.equal(found?.severity, 'info', 'the plan reads through indexes: as fast as that count gets here');
});

test('a filter on an array column by containment: a GIN index, since no B-tree serves @>', () => {
  const count = 'select count(*) from "articles" where "articles"."tag_list" @> $1';
  const plan = [
    'Aggregate  (cost=10759.92..10759.93 rows=1 width=8)',
    '  ->  Seq Scan on articles  (cost=0.00..10750.00 rows=3968 width=0)',
    "        Filter: (tag_list @> '{tag3}'::character varying[])",
  ];
  assert.match(slowFinding(count, plan, 20)?.title ?? '', /\(CREATE INDEX ON articles USING gin \(tag_list\)\)/);
});

test('a statement whose stack reached the app in one run only is placed by that run', () => {
  // V8's async stack trace reached the handler on the first request only (TypeORM 0.3 on better-sqlite3)
  const byEmail = 'SELECT * FROM orders WHERE customerEmail = ? ORDER BY createdAt DESC LIMIT 20';
  const plan = ['SCAN orders', 'USE TEMP B-TREE FOR ORDER BY'];
  const orm: SourceLocation = {
    file: '/app/node_modules/typeorm/SelectQueryBuilder.js',
    line: 728,
    column: 1,
    package: 'typeorm',
  };
  const handler: SourceLocation = { file: '/app/src/routes/orders.ts', line: 20, column: 18, async: true };
  const runs = [1, 2, 3].map((id) =>
    request({
      id,
      items: 20,
      wallMs: 90 + id,
      queries: [
        {
          driver: 'better-sqlite3',
          sql: byEmail,
          durationMs: 80,
          rows: 20,
          stack: id === 1 ? [orm, handler] : [orm],
          plan,
        },
      ],
    }),
  );
  const found = diagnoseFully(capture(runs), rules).findings.find((f) => f.rule === 'slow-query');
  assert.deepEqual(found?.location && [found.location.file, found.location.line], ['/app/src/routes/orders.ts', 20]);
});

test('a small lookup table filtered in passing (2% of the plan) is not why a paginated ORM query is slow', () => {
  const page =
    'select "e0".* from "events" as "e0" inner join "venues" as "v1" on "e0"."venue_id" = "v1"."id" where "e0"."published" = true and "v1"."city" = $1 order by "e0"."starts_at" limit $2';
  const plan = [
    'Limit  (cost=332.96..506.19 rows=20 width=498)',
    '  ->  Nested Loop  (cost=6.20..504.27 rows=110 width=12)',
    '        ->  Seq Scan on venues v1  (cost=0.00..12.12 rows=1 width=4)',
    "              Filter: ((city)::text = 'Krakow'::text)",
    '        ->  Bitmap Heap Scan on events e0  (cost=6.20..241.53 rows=156 width=16)',
    '              Recheck Cond: (venue_id = v1.id)',
    '              Filter: published',
    '              ->  Bitmap Index Scan on events_venue_id_index  (cost=0.00..6.16 rows=250 width=0)',
    '                    Index Cond: (venue_id = v1.id)',
  ];
  const found = slowFinding(page, plan, 20);
  assert.doesNotMatch(found?.title ?? '', /reads all of venues|venues \(city/);
});

test('an ORDER BY of an aggregate (a paginated ORM subquery) adds no column named after the function to the index', () => {
  const page =
    'select "e0"."id" from "events" as "e0" where "e0"."city" = $1 group by "e0"."id" order by min("e0"."starts_at") asc, min("e0"."id") asc limit $2';
  const plan = [
    'Seq Scan on events e0  (cost=0.00..9000.00 rows=300 width=16)',
    "  Filter: ((city)::text = 'Krakow'::text)",
  ];
  assert.doesNotMatch(slowFinding(page, plan, 20)?.title ?? '', /\bmin\b\)/);
});

test("a page read through indexes with its items' child rows joined (3 a row) is as fast as that answer gets: info", () => {
  const page =
    'select "e0".*, "t2"."label" from "events" as "e0" left join "ticket_types" as "t2" on "e0"."id" = "t2"."event_id" where "e0"."id" in ($1) order by "e0"."starts_at"';
  const plan = [
    'Sort  (cost=506.04..506.19 rows=60 width=498)',
    '  ->  Nested Loop Left Join  (cost=0.57..504.27 rows=60 width=498)',
    '        ->  Index Scan using events_pkey on events e0  (cost=0.29..7.90 rows=20 width=28)',
    '              Index Cond: (id = ANY ($1))',
    '        ->  Index Scan using ticket_types_event_id_index on ticket_types t2  (cost=0.29..0.52 rows=3 width=4)',
    '              Index Cond: (event_id = e0.id)',
  ];
  const query: QueryRecord = { driver: 'pg', sql: page, durationMs: 300, rows: 60, stack: [driver, repo], plan };
  const runs = [1, 2, 3].map((id) => request({ id, items: 20, wallMs: 320, queries: [query] }));
  const found = diagnoseFully(capture(runs), rules).findings.find((f) => f.rule === 'slow-query');
  assert.equal(found?.severity, 'info');
});

test('MySQL/MariaDB: a count that walks a whole index to join every row is a warning with no index advice, not an answer served by an index', () => {
  const count =
    'SELECT count(DISTINCT(`p`.`id`)) AS `count` FROM `posts` AS `p` LEFT OUTER JOIN `post_tags` AS `t` ON `p`.`id` = `t`.`post_id`';
  const plan = [
    'table=p type=index possible_keys=NULL key=author_id rows=28784 Extra=Using index',
    'table=t type=ref possible_keys=PRIMARY key=PRIMARY rows=1 Extra=Using where; Using index',
  ];
  const runs = [1, 2, 3].map((id) =>
    request({
      id,
      items: 20,
      wallMs: 500,
      queries: [{ driver: 'mysql2', sql: count, durationMs: 180, rows: 1, stack: [driver, repo], plan }],
    }),
  );
  const [found] = diagnoseFully(capture(runs), rules).findings.filter((f) => f.rule === 'slow-query');
  assert.equal(found?.severity, 'warning');
  assert.match(found?.title ?? '', /the plan reads all of posts$/);
  assert.match(found?.suggestion ?? '', /^No filter of the statement narrows posts, so no index serves it/);
});

test('PostgreSQL: a page whose join walks a whole index per row (not led by the looked-up column) wants that column indexed too', () => {
  const page =
    'select p.*, t.tag from posts p left join post_tags t on p.id = t.post order by p.created_at desc limit $1';
  const plan = [
    'Limit  (cost=10911.34..15442.35 rows=20 width=747)',
    '  ->  Nested Loop Left Join  (cost=10911.34..20304889.16 rows=90000 width=742)',
    '        ->  Sort  (cost=9910.60..9941.85 rows=30000 width=653)',
    '              Sort Key: p.created_at DESC',
    '              ->  Seq Scan on posts p  (cost=0.00..5427.00 rows=30000 width=653)',
    '        ->  Index Scan using post_tags_tag_post_unique on post_tags t  (cost=0.42..675.67 rows=3 width=48)',
    '              Index Cond: (post = p.id)',
  ];
  const runs = [1, 2, 3].map((id) =>
    request({
      id,
      items: 20,
      wallMs: 100,
      queries: [{ driver: 'pg', sql: page, durationMs: 90, rows: 60, stack: [driver, repo], plan }],
    }),
  );
  const [found] = diagnoseFully(capture(runs), rules).findings.filter((f) => f.rule === 'slow-query');
  assert.match(
    found?.title ?? '',
    /reads all of posts and sorts it \(CREATE INDEX ON posts \(created_at\)\), and all of post_tags_tag_post_unique on each lookup of post_tags, an index that does not lead with post \(CREATE INDEX ON post_tags \(post\)\)/,
  );
  assert.match(found?.suggestion ?? '', /CREATE INDEX ON posts \(created_at\); CREATE INDEX ON post_tags \(post\)/);
});

test('through a helper that runs whatever SQL it is given, the statement is queried where its caller writes it', () => {
  const sources: Record<string, string> = {
    '/app/src/db.js': [
      'export async function query(text, params) {',
      '  const result = await pool.query(text, params);',
      '  return result.rows;',
      '}',
    ].join('\n'),
    '/app/src/repo.js': [
      'export async function byBrand(brand) {',
      '  return query(',
      '    `SELECT * FROM products WHERE brand = $1 ORDER BY price LIMIT 20`,',
      '    [brand],',
      '  );',
      '}',
    ].join('\n'),
  };
  const helper: SourceLocation = { file: '/app/src/db.js', line: 2, column: 29, functionName: 'query' };
  const caller: SourceLocation = { file: '/app/src/repo.js', line: 2, column: 10, functionName: 'byBrand' };
  const schema = declarationsIn('/app/src/schema.js', schemaFile);
  const [top] = diagnoseFully(
    slowCapture({ plan: seqScan, stack: [driver, helper, caller] }),
    rules,
    (file) => sources[file],
    schema,
  ).findings;
  assert.equal(top?.rule, 'slow-query');
  assert.equal(top?.evidence.find((e) => e.label === 'queried at')?.value, '/app/src/repo.js:2 (byBrand)');
  // without the sources, the helper's line is all there is
  const [blind] = diagnoseFully(
    slowCapture({ plan: seqScan, stack: [driver, helper, caller] }),
    rules,
    undefined,
    schema,
  ).findings;
  assert.equal(blind?.evidence.find((e) => e.label === 'queried at')?.value, '/app/src/db.js:2 (query)');
});

test('a chain run where it is written (a synchronous driver), its filter gathered above it: the condition line', () => {
  // a parcels service: optional filters pushed onto a list, one `.where(and(...))`, the page sorted by time
  const service = [
    "import { and, desc, eq } from 'drizzle-orm';",
    'export function listParcels(filter) {',
    '  const conditions = [];',
    '  if (filter.senderId !== undefined) conditions.push(eq(parcels.senderId, filter.senderId));',
    '  if (filter.state) conditions.push(eq(parcels.state, filter.state));',
    '  const rows = db',
    '    .select({',
    '      id: parcels.id,',
    '      senderId: parcels.senderId,',
    '      sentAt: parcels.sentAt,',
    '    })',
    '    .from(parcels)',
    '    .where(and(...conditions))',
    '    .orderBy(desc(parcels.sentAt))',
    '    .limit(20)',
    '    .all();',
    '  return rows;',
    '}',
  ].join('\n');
  const sqliteDriver: SourceLocation = {
    file: '/app/node_modules/drizzle-orm/better-sqlite3/session.js',
    line: 81,
    column: 23,
    package: 'drizzle-orm',
  };
  const call: SourceLocation = { file: '/app/src/parcels.js', line: 16, column: 6, functionName: 'listParcels' };
  const query: QueryRecord = {
    driver: 'better-sqlite3',
    sql: 'select "id", "sender_id", "sent_at" from "parcels" where "parcels"."sender_id" = ? order by "parcels"."sent_at" desc limit ?',
    durationMs: 300,
    rows: 20,
    stack: [sqliteDriver, call],
    plan: ['SCAN parcels USING INDEX parcels_sent_at_idx'],
  };
  const walked = capture([1, 2, 3].map((id) => request({ id, items: 20, wallMs: 320, queries: [query] })));
  const [top] = diagnoseFully(walked, rules, (file) => (file === '/app/src/parcels.js' ? service : undefined)).findings;
  assert.equal(top?.rule, 'slow-query');
  assert.match(top?.title ?? '', /reads all of parcels.*CREATE INDEX ON parcels \(sender_id, sent_at\)/);
  assert.deepEqual(top?.location && [top.location.file, top.location.line], ['/app/src/parcels.js', 4]);
});

test('a lookup slow in every run is said though a longer first run diluted its share; one slow only once is not', () => {
  // an ORM's page of one entity by an unindexed column: the id is picked first, walking the primary key under LIMIT 1
  const pick =
    'SELECT DISTINCT d.post_id FROM (SELECT p.id AS post_id FROM posts p LEFT JOIN replies r ON r.post_id = p.id WHERE p.handle = ?) d ORDER BY d.post_id ASC LIMIT 1';
  const plan = [
    'table=p type=index possible_keys=NULL key=PRIMARY rows=1 Extra=Using where; Using temporary',
    'table=r type=ref possible_keys=replies_post key=replies_post rows=3 Extra=Using index; Distinct',
  ];
  const run = (id: number, wallMs: number, durationMs: number) =>
    request({
      id,
      wallMs,
      queries: [{ driver: 'mysql', sql: pick, durationMs, rows: 1, stack: [driver, repo], plan }],
    });
  const slow = (runs: ReturnType<typeof run>[]) =>
    diagnoseFully(capture(runs), rules).findings.filter((f) => f.rule === 'slow-query');
  // first run 60 ms (the app's first-time work), the lookup 8 ms of it; then 13 ms, the lookup 6 ms of it
  const [found] = slow([run(1, 60, 8), run(2, 13, 6)]);
  assert.match(found?.title ?? '', /reads all of posts \(CREATE INDEX ON posts \(handle\)\)/);
  assert.equal(found?.evidence.find((e) => e.label === 'slow in')?.value, '2 of 2 runs');
  // the same after a first run twice the next, the lookup 6 ms of 37 ms then
  assert.equal(slow([run(1, 37, 6), run(2, 18, 10)]).length, 1);
  // a lookup of 2 ms in two runs and 40 ms in one: slow once, in one of three runs
  assert.equal(slow([run(1, 60, 40), run(2, 15, 2), run(3, 14, 2)]).length, 0);
});

test('a join read from its unfiltered table, the filter applied per row to a later one: start from the filtered table, no sort index', () => {
  // a subscriptions timeline without a page: all posts read and sorted, each checked against the reader's subscriptions
  const timeline =
    'SELECT p.*, w.name FROM posts p JOIN writers w ON p.writer_id = w.id JOIN subscriptions s ON w.id = s.writer_id WHERE s.reader_id = ? ORDER BY p.published_at DESC';
  const plan = [
    'table=p type=ALL possible_keys=posts_writer_id key=NULL rows=48000 Extra=Using filesort',
    'table=w type=eq_ref possible_keys=PRIMARY key=PRIMARY rows=1 Extra=',
    'table=s type=eq_ref possible_keys=PRIMARY,subscriptions_reader_id key=PRIMARY rows=1 Extra=Using index',
  ];
  const runs = [1, 2].map((id) =>
    request({
      id,
      wallMs: 150,
      items: 0,
      // a third of the request: slow as a read of a whole table to filter it
      queries: [{ driver: 'mysql2', sql: timeline, durationMs: 50, rows: 0, stack: [driver, repo], plan }],
    }),
  );
  const [found] = diagnoseFully(capture(runs), rules).findings.filter((f) => f.rule === 'slow-query');
  assert.match(
    found?.title ?? '',
    /reads all of posts and sorts it and looks up subscriptions for each row, where the filter on reader_id applies/,
  );
  assert.doesNotMatch(found?.title ?? '', /CREATE INDEX/);
  assert.match(found?.suggestion ?? '', /^Start the join from subscriptions/);
  // with a page (LIMIT), the sorted walk of an index on published_at stops early: that advice stays
  const paged = runs.map((run) => ({
    ...run,
    queries: run.queries.map((q) => ({ ...q, sql: `${timeline} LIMIT 20` })),
  }));
  const [page] = diagnoseFully(capture(paged), rules).findings.filter((f) => f.rule === 'slow-query');
  assert.match(page?.title ?? '', /CREATE INDEX ON posts \(published_at\)/);
});

test('a list of thousands of keys read the table whole: the list is the fix, not an index on its column', () => {
  // an ORM loading the reviews of every product it listed, in one statement
  const keys = Array.from({ length: 2_000 }, () => '?').join(', ');
  const reviews: QueryRecord = {
    driver: 'mysql2',
    sql: `select r.* from review as r where r.product_id in (${keys}) order by r.product_id`,
    durationMs: 300,
    rows: 9_000,
    stack: [driver, repo],
    plan: ['table=r type=ALL possible_keys=review_product_idx key=NULL rows=150000 Extra=Using where; Using filesort'],
  };
  const runs = [1, 2, 3].map((id) => request({ id, items: 2_000, wallMs: 320, queries: [reviews] }));
  const found = diagnoseFully(capture(runs), rules).findings.find((f) => f.rule === 'slow-query');
  assert.match(found?.title ?? '', /reads all of review.*lists 2,000 values of product_id/);
  assert.doesNotMatch(`${found?.title} ${found?.suggestion}`, /CREATE INDEX/);
  assert.match(found?.suggestion ?? '', /fewer product_id values at once/);
});

test('a page far from the start walks every row before it: page by the last key, at the line that skips', () => {
  // a ledger's history, page 3,000 of 50 rows, asked with an ORM's skip/take
  const source = [
    'export async function history(page: number, size: number) {',
    '  const [rows, total] = await entries.findAndCount({',
    "    order: { id: 'DESC' },",
    '    skip: (page - 1) * size,',
    '    take: size,',
    '  });',
    '  return { rows, total };',
    '}',
  ].join('\n');
  const service: SourceLocation = { file: '/app/src/ledger.ts', line: 2, column: 46, functionName: 'history' };
  const page: QueryRecord = {
    driver: 'mariadb',
    sql: 'SELECT `e`.`id` AS `e_id`, `e`.`amount` AS `e_amount` FROM `entries` `e` ORDER BY `e`.`id` DESC LIMIT 50 OFFSET 149950',
    durationMs: 56,
    rows: 50,
    stack: [driver, service],
    plan: ['table=e type=index possible_keys=NULL key=PRIMARY rows=150000 Extra='],
  };
  const runs = [1, 2, 3].map((id) => request({ id, items: 50, wallMs: 60, queries: [page] }));
  const [top] = diagnoseFully(capture(runs), rules, (file) => (file === service.file ? source : undefined)).findings;
  assert.equal(top?.rule, 'slow-query');
  assert.notEqual(top?.severity, 'info');
  assert.match(top?.title ?? '', /walks ≈150,000 entries of PRIMARY to reach the page \(OFFSET\)/);
  assert.match(top?.suggestion ?? '', /keyset pagination/);
  assert.deepEqual(top?.location && [top.location.file, top.location.line], [service.file, 4]);
});
