import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryRecord, SourceLocation } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { declarationsIn } from '../schema/table-declarations.js';
import { capture, request } from '../test-support/captures.js';
import { driver, repo, schemaFile, seqScan, slowCapture } from '../test-support/slow-query.js';

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

test('a statement no app frame names (an ORM on callbacks) still gets its index placed where the schema declares the table', () => {
  const schema = declarationsIn('/app/src/schema.js', schemaFile);
  const [top] = diagnoseFully(slowCapture({ plan: seqScan, stack: [driver] }), rules, undefined, schema).findings;
  assert.equal(top?.rule, 'slow-query');
  assert.deepEqual(top?.location && [top.location.file, top.location.line], ['/app/src/schema.js', 5]);
  assert.equal(top?.evidence.find((e) => e.label === 'queried at')?.value, '(unknown location)');
  assert.match(top?.title ?? '', /beside the other indexes of products at \/app\/src\/schema\.js:5/);
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
  const plan = ['Seq Scan on products  (cost=0.00..1250.00 rows=600 width=8)', "  Filter: (brand = 'acme'::text)"];
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

test("a batch read through an index of the nested lists a response carries (a GraphQL loader's lessons of 20 courses) is info", () => {
  const lessons =
    'SELECT id, course_id, position, title FROM lessons WHERE course_id = ANY($1::int[]) ORDER BY course_id, position';
  const plan = [
    'Sort  (cost=1611.28..1612.48 rows=481 width=41)',
    '  Sort Key: course_id, "position"',
    '  ->  Bitmap Heap Scan on lessons  (cost=92.27..1589.85 rows=481 width=41)',
    "        Recheck Cond: (course_id = ANY ('{1,2,3}'::integer[]))",
    '        ->  Bitmap Index Scan on lessons_course_id_position_key  (cost=0.00..92.10 rows=481 width=0)',
  ];
  const query: QueryRecord = { driver: 'pg', sql: lessons, durationMs: 150, rows: 480, stack: [driver, repo], plan };
  const runs = [1, 2, 3].map((id) => request({ id, items: 20, wallMs: 280, queries: [query] }));
  const top = diagnoseFully(capture(runs), rules).findings.find((f) => f.rule === 'slow-query');
  assert.equal(top?.severity, 'info');
  assert.match(top?.title ?? '', /its plan reads through indexes, 480 rows a statement/);
  assert.doesNotMatch(top?.title ?? '', /check its plan/);
  // the plan was read: no advice to run EXPLAIN or to index a sequential scan it does not have
  assert.match(top?.suggestion ?? '', /already reads through indexes, so another index is not the fix/);
  assert.doesNotMatch(top?.suggestion ?? '', /Run EXPLAIN|sequential scan/);
});

test('an export read through an index, every row of it in the response (a CSV, no JSON items), is info', () => {
  const sql = 'SELECT id, form_id, email, answers, created_at FROM submissions WHERE form_id = ? ORDER BY created_at';
  const plan = ['SEARCH submissions USING INDEX submissions_form_id_created_at (form_id=?)'];
  const query: QueryRecord = { driver: 'sqlite3', sql, durationMs: 120, rows: 4000, stack: [driver, repo], plan };
  const run = (id: number, bytes: number) => {
    const record = request({ id, items: 1, wallMs: 300, queries: [query] });
    record.bytes = bytes;
    return record;
  };
  const exported = diagnoseFully(capture([1, 2, 3].map((id) => run(id, 555_000))), rules).findings;
  assert.equal(exported.find((f) => f.rule === 'slow-query')?.severity, 'info');
  // a small answer from the same 4,000 rows: they are read for nothing the response shows
  const summed = diagnoseFully(capture([1, 2, 3].map((id) => run(id, 900))), rules).findings;
  assert.notEqual(summed.find((f) => f.rule === 'slow-query')?.severity, 'info');
});

test("a read whose result waited behind seconds of other synchronous work is not slow by that wait; its own rows' parsing still counts", () => {
  const at = { file: '/app/src/posts.js', line: 33, column: 5, functionName: 'list' };
  const lib = { file: '/app/node_modules/orm/query.js', line: 80, column: 1, package: 'orm' };
  const read = (rows: number, durationMs: number): QueryRecord => ({
    driver: 'sqlite3',
    sql: 'SELECT * FROM users WHERE id IN (?)',
    startMs: 100,
    durationMs,
    rows,
    stack: [lib, at],
  });
  // the loop ran another relation's matching from 101 ms to 12,091 ms, while this 11 ms read's callback waited
  const blocked = (rows: number, durationMs: number) =>
    request({
      wallMs: 14_000,
      cpuMs: 13_000,
      items: 20_000,
      bytes: 90_000,
      blocking: [{ startMs: 101, durationMs: 11_990 }],
      queries: [read(rows, durationMs)],
    });
  const slowQueries = (r: ReturnType<typeof request>) =>
    diagnoseFully(capture([r]), rules).findings.filter((f) => f.rule === 'slow-query');
  assert.equal(slowQueries(blocked(2736, 12_000)).length, 0, 'a 2,736-row read held 12 s by other work');
  // 300,000 rows parsed on the main thread inside the same interval are the read's own cost (20,000 items: no
  // excess of rows to fold it into)
  assert.equal(slowQueries(blocked(300_000, 12_000)).length, 1);
  // no stretch inside it: its whole interval was the database's
  const waited = request({ wallMs: 14_000, cpuMs: 100, items: 20_000, bytes: 90_000, queries: [read(2736, 12_000)] });
  assert.equal(slowQueries(waited).length, 1);
});

test('a read overlapped by a stretch the process spent descheduled (a loaded machine) keeps its time', () => {
  // a day's report scanning 480,000 shifts for 110 ms; the 1 ms timer came 123 ms late over it, while the
  // request used 9 ms of CPU in all: the stretch was the machine's, not other work of the app's
  const at = { file: '/app/lib/reports.js', line: 26, column: 5, functionName: 'daily' };
  const query: QueryRecord = {
    driver: 'mariadb',
    sql: 'SELECT d.name, count(*) FROM shifts s JOIN depots d ON d.id = s.depot_id WHERE DATE(s.started_at) = ? GROUP BY d.name',
    startMs: 3,
    durationMs: 110,
    rows: 12,
    stack: [at],
  };
  const record = request({
    wallMs: 130,
    cpuMs: 9,
    items: 12,
    bytes: 2_000,
    blocking: [{ startMs: 2, durationMs: 123 }],
    queries: [query],
  });
  const found = diagnoseFully(capture([record]), rules).findings.filter((f) => f.rule === 'slow-query');
  assert.equal(found.length, 1);
});

test('a page 1,500 deep whose plan sorts the whole table: keyset pagination at the OFFSET line, no index advice', () => {
  const source = [
    'async function listAuditEvents(request) {',
    '  const page = Number(request.query.page) || 1;',
    '  const [rows] = await pool.query(',
    '    `SELECT id, actor_id, action, created_at',
    '       FROM audit_events',
    '      ORDER BY created_at DESC, id DESC',
    '      LIMIT ? OFFSET ?`,',
    '    [51, (page - 1) * 50],',
    '  );',
    '  return rows;',
    '}',
  ].join('\n');
  const route: SourceLocation = { file: '/app/src/audit.js', line: 3, column: 24, functionName: 'listAuditEvents' };
  const read = (path: string) => (path === route.file ? source : undefined);
  const far: Partial<QueryRecord> = {
    driver: 'mysql2',
    sql: 'SELECT id, actor_id, action, created_at FROM audit_events ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?',
    rows: 51,
    stack: [{ ...driver, file: '/app/node_modules/mysql2/promise.js', package: 'mysql2' }, route],
    plan: ['table=audit_events type=ALL possible_keys=NULL key=NULL rows=698000 Extra=Using filesort'],
  };
  const [deep] = diagnoseFully(slowCapture({ ...far, offsetRows: 74_950 }), rules, read).findings;
  assert.equal(deep?.rule, 'slow-query');
  assert.equal(deep?.location?.line, 7);
  assert.match(deep?.title ?? '', /skips 74,950 rows \(OFFSET\)/);
  assert.match(deep?.suggestion ?? '', /keyset pagination/);
  assert.doesNotMatch(deep?.suggestion ?? '', /CREATE INDEX/);
  // the first page of the same statement: the sort of the whole table is the cost, and an index the fix
  const [first] = diagnoseFully(slowCapture({ ...far, offsetRows: 0 }), rules, read).findings;
  assert.match(first?.title ?? '', /reads all of audit_events and sorts it/);
  assert.match(first?.suggestion ?? '', /CREATE INDEX ON audit_events \(created_at, id\)/);
});

test('an index the app already declares is not advised again: the finding says the plan passes it over', () => {
  const declaring = [
    "import { pool } from './db.js';",
    'export const ready = pool.query(`',
    '  CREATE TABLE IF NOT EXISTS products (id serial PRIMARY KEY, brand text, price int);',
    '  CREATE INDEX IF NOT EXISTS products_brand_price_idx ON products ("brand", price DESC);',
    '`);',
  ].join('\n');
  const schema = declarationsIn('/app/src/schema.js', declaring);
  const [top] = diagnoseFully(slowCapture(), rules, undefined, schema).findings;
  assert.equal(top?.rule, 'slow-query');
  assert.match(top?.title ?? '', /already declares an index on \(brand, price\) at \/app\/src\/schema\.js:4/);
  assert.doesNotMatch(`${top?.title} ${top?.suggestion}`, /CREATE INDEX ON/);
  assert.match(top?.suggestion ?? '', /^Another index is not the fix/);
  // an index on the sort column alone does not lead with the filter: the two-column index is still advised
  const [advised] = diagnoseFully(
    slowCapture(),
    rules,
    undefined,
    declarationsIn('/app/src/schema.js', schemaFile),
  ).findings;
  assert.match(advised?.suggestion ?? '', /CREATE INDEX ON products \(brand, price\)/);
});

test('two lookups each reading a different table whole, each under its share, are slow together: each gets its index', () => {
  const scanOf = (table: string, column: string) => [
    `Seq Scan on ${table}  (cost=0.00..1800.00 rows=1 width=64)`,
    `  Filter: (${column} = 'x'::text)`,
  ];
  const user: QueryRecord = {
    driver: 'pg',
    sql: 'SELECT * FROM users WHERE username = $1',
    durationMs: 20,
    rows: 1,
    stack: [driver, { ...repo, line: 30, functionName: 'profile' }],
    plan: scanOf('users', 'username'),
  };
  const article: QueryRecord = {
    driver: 'pg',
    sql: 'SELECT * FROM articles WHERE slug = $1',
    durationMs: 20,
    rows: 1,
    stack: [driver, { ...repo, line: 40, functionName: 'article' }],
    plan: scanOf('articles', 'slug'),
  };
  const runs = (queries: QueryRecord[]) =>
    capture([1, 2, 3].map((id) => request({ id, items: 1, wallMs: 100, queries })));
  const both = diagnoseFully(runs([user, article]), rules).findings.filter((f) => f.rule === 'slow-query');
  assert.deepEqual(both.map((f) => f.suggestion?.match(/CREATE INDEX ON \w+ \(\w+\)/)?.[0]).sort(), [
    'CREATE INDEX ON articles (slug)',
    'CREATE INDEX ON users (username)',
  ]);
  // one such lookup at 20% of its request is under the share alone
  const one = diagnoseFully(runs([user]), rules).findings.filter((f) => f.rule === 'slow-query');
  assert.equal(one.length, 0);
});
