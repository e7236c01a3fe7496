/**
 * One test per kind of cause, on captures shaped like the stacks of
 * applications the rules were not written next to: entities without
 * constructors, driver classes, envelopes, loops, helpers, sync crypto.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProfileData, QueryRecord } from '../capture/types.js';
import { diagnose, diagnoseFully, rules } from './diagnose.js';
import { refineLines } from './refine-lines.js';
import { declarationsIn } from './schema/table-declarations.js';
import { capture, profileFunction, request } from './test-support/captures.js';
import { at, q } from './test-support/query-frames.js';

const req = request;
const cap = capture;

test('a whole-table load is found from rows alone when the ORM builds entities without constructors', () => {
  const service = at('findOne', '/app/src/products.service.ts', 21);
  const request = req({
    queries: [
      q('SELECT * FROM product', 60_000, [service], { durationMs: 90 }),
      q('SELECT * FROM product WHERE sku = $1 LIMIT 1', 1, [at('findOne', '/app/src/products.service.ts', 23)]),
    ],
    // driver classes are built per row and column: never the headline
    constructions: [
      {
        className: 'Field',
        count: 60_000,
        location: at('Field', '/app/node_modules/pg-protocol/dist/messages.js', 1, { package: 'pg-protocol' }),
      },
    ],
  });
  const [top] = diagnose(cap([request]));
  assert.equal(top?.rule, 'whole-table-load');
  assert.equal(top?.location?.line, 21);
  assert.doesNotMatch(top?.title ?? '', /Field/);
  assert.match(top?.title ?? '', /60,000 rows/);
});

test('a page of 100 in an envelope is 100 items, not 1: no over-fetch for 100 rows', () => {
  const request = req({
    items: 100,
    itemsPath: 'articles',
    queries: [q('SELECT * FROM article LIMIT 100', 100, [at('list', '/app/a.js', 3)])],
  });
  assert.deepEqual(diagnose(cap([request])), []);
});

test('pagination in JavaScript: rows loaded vs the page, at the query line', () => {
  const request = req({
    items: 20,
    itemsPath: 'data',
    queries: [
      q('SELECT * FROM books ORDER BY title', 80_000, [at('listBooks', '/app/src/books.ts', 14)], { durationMs: 70 }),
    ],
  });
  const [top] = diagnose(cap([request]));
  assert.equal(top?.location?.line, 14);
  assert.match(top?.title ?? '', /80,000 rows\) to return 20 items/);
});

test('join fan-out: rows multiply across joins for one item', () => {
  const sql =
    'SELECT * FROM posts LEFT OUTER JOIN tags ON … LEFT OUTER JOIN comments ON … LEFT OUTER JOIN likes ON … WHERE posts.slug = ?';
  const request = req({ queries: [q(sql, 120_000, [at('getPost', '/app/routes/posts.js', 31)], { durationMs: 150 })] });
  const [top] = diagnose(cap([request]));
  assert.equal(top?.rule, 'join-fan-out');
  assert.equal(top?.location?.line, 31);
});

test('join fan-out no call names: the collection the entity declares eager is the line to change', () => {
  // a repository's findAndCount with no relations asked; the entity joins its time-off requests on every find
  const entity = [
    "import { Entity, ManyToOne, OneToMany, PrimaryGeneratedColumn } from 'typeorm';",
    '',
    "@Entity('employees')",
    'export class Employee {',
    '  @PrimaryGeneratedColumn() id: number;',
    '  @ManyToOne(() => Department, { eager: true })',
    '  department: Department;',
    '  @OneToMany(() => Leave, (leave) => leave.employee, { eager: true })',
    '  leaves: Leave[];',
    '}',
  ].join('\n');
  const route = [
    'router.get("/employees", async (ctx) => {',
    '  const [rows, total] = await repo.findAndCount({',
    '    where: { departmentId },',
    '    skip, take: 25,',
    '  });',
    '});',
  ].join('\n');
  const files: Record<string, string> = { '/app/src/entities/employee.ts': entity, '/app/src/routes.ts': route };
  const read = (path: string) => files[path];
  const schema = declarationsIn('/app/src/entities/employee.ts', entity);
  const sql =
    'SELECT `Employee`.`id`, `Employee__leaves`.`id` FROM `employees` `Employee` LEFT JOIN `departments` `Employee__department` ON `Employee__department`.`id`=`Employee`.`department_id` LEFT JOIN `leaves` `Employee__leaves` ON `Employee__leaves`.`employee_id`=`Employee`.`id` WHERE `Employee`.`department_id` = ? AND `Employee`.`id` IN (?)';
  const request = req({
    items: 25,
    queries: [q(sql, 1_000, [at('list', '/app/src/routes.ts', 2)], { durationMs: 120 })],
  });
  const [top] = diagnoseFully(cap([request]), rules, read, schema).findings;
  assert.equal(top?.rule, 'join-fan-out');
  assert.deepEqual(top?.location && [top.location.file, top.location.line], ['/app/src/entities/employee.ts', 8]);
  assert.match(top?.suggestion ?? '', /^Drop eager loading from the relation at/);
  // without the entity's source, the call
  const [unread] = diagnoseFully(cap([request]), rules, undefined, schema).findings;
  assert.equal(unread?.location?.line, 2);
});

test('N+1 at the page size: 3 items, one venue query each', () => {
  const loop = at('upcoming', '/app/src/events.ts', 40);
  const request = req({
    items: 3,
    queries: [
      q('SELECT * FROM events LIMIT ?', 3, [at('upcoming', '/app/src/events.ts', 37)]),
      ...[1, 2, 3].map((v) => q('SELECT * FROM venues WHERE id = ?', 1, [loop], { valuesKey: `v${v}` })),
    ],
  });
  const [top] = diagnose(cap([request]));
  assert.equal(top?.rule, 'n-plus-one');
  assert.equal(top?.location?.line, 40);
});

test('N+1: six statements per article in one loop make one finding at the loop', () => {
  const handler = at('listArticles', '/app/routes/articles.js', 20, { async: true });
  const queries = [q('SELECT * FROM articles LIMIT ?', 20, [at('listArticles', '/app/routes/articles.js', 52)])];
  for (let article = 0; article < 20; article++) {
    for (let statement = 0; statement < 6; statement++) {
      queries.push(
        q(
          `SELECT s${statement} WHERE article_id = ?`,
          1,
          [at('serialize', '/app/routes/articles.js', 58 + statement), handler],
          { valuesKey: `${article}:${statement}` },
        ),
      );
    }
  }
  const findings = diagnose(cap([req({ items: 20, itemsPath: 'articles', queries })]));
  const loops = findings.filter((f) => f.rule === 'n-plus-one');
  assert.equal(loops.length, 1);
  assert.equal(loops[0]?.location?.line, 58);
  assert.match(loops[0]?.title ?? '', /6 statements per item/);
  assert.match(loops[0]?.title ?? '', /120 of 121 queries/);
});

test("N+1 through a per-item helper with several awaits: the loop is the caller's, not the helper's", () => {
  // the helper is resumed after each of its awaits, as a loop's function is; only the source tells them apart
  const sources: Record<string, string> = {
    '/app/routes/reviews.js': [
      'async function listReviews(req, res) {', // 1
      '  const reviews = await Review.findAll({ where: { bookId: req.params.id } });', // 2
      '  for (const review of reviews) {', // 3
      '    await decorate(review, req.user);', // 4
      '  }', // 5
      '  res.json({ reviews });', // 6
      '}', // 7
    ].join('\n'),
    '/app/lib/decorate.js': [
      'async function decorate(review, reader) {', // 1
      '  const writer = await review.getWriter();', // 2
      '  review.writer = writer;', // 3
      '  review.followed = await writer.hasFan(reader);', // 4
      '  review.fans = await writer.countFans();', // 5
      '}', // 6
    ].join('\n'),
  };
  const caller = at('listReviews', '/app/routes/reviews.js', 4, { async: true });
  const queries = [q('SELECT * FROM reviews WHERE book_id = ?', 12, [at('listReviews', '/app/routes/reviews.js', 2)])];
  for (let review = 0; review < 12; review++) {
    for (const [statement, line] of [
      ['SELECT * FROM users WHERE id = ?', 2],
      ['SELECT 1 FROM fans WHERE writer_id = ? AND fan_id = ?', 4],
      ['SELECT count(*) FROM fans WHERE writer_id = ?', 5],
    ] as const) {
      queries.push(
        q(statement, 1, [at('decorate', '/app/lib/decorate.js', line, { async: line === 2 }), caller], {
          valuesKey: `${review}:${line}`,
        }),
      );
    }
  }
  // the ORM's association helpers spend CPU per item inside the helper: the loop's work, not a finding of its own
  const fn = (name: string, file: string, line: number, category: 'app' | 'dependency' | 'root', pkg?: string) =>
    profileFunction(name, file, line, category, pkg ? { package: pkg } : {});
  const profile: ProfileData = {
    sampleIntervalUs: 1000,
    requestCount: 1,
    durationMs: 200,
    countedRequests: 0,
    functions: [
      fn('(root)', '', 0, 'root'),
      fn('listReviews', '/app/routes/reviews.js', 1, 'app'),
      fn('decorate', '/app/lib/decorate.js', 1, 'app'),
      fn('countFans', '/app/node_modules/sequelize/lib/associations/mixin.js', 30, 'dependency', 'sequelize'),
    ],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: 60 },
      { fn: 1, parent: 0, selfSamples: 2, selfMs: 2, totalMs: 60 },
      { fn: 2, parent: 1, selfSamples: 3, selfMs: 3, totalMs: 58 },
      { fn: 3, parent: 2, selfSamples: 55, selfMs: 55, totalMs: 55 },
    ],
  };
  const readSource = (file: string) => sources[file];
  const findings = refineLines(
    diagnoseFully(cap([req({ items: 12, itemsPath: 'reviews', queries, cpuMs: 70 })], profile), rules, readSource)
      .findings,
    readSource,
  );
  const [loop] = findings.filter((f) => f.rule === 'n-plus-one');
  assert.equal(loop?.location?.file, '/app/routes/reviews.js');
  assert.equal(loop?.location?.line, 3, 'the loop header in the caller');
  assert.match(loop?.title ?? '', /in the loop at \/app\/routes\/reviews\.js:3/);
  assert.deepEqual(
    findings.filter((f) => f.severity !== 'info').map((f) => f.rule),
    ['n-plus-one'],
  );
  assert.ok(loop?.evidence.some((e) => e.label === 'CPU in the same function' && /decorate/.test(e.value)));
});

test('an N+1 whose items share a few values (one author of several comments) is one finding, not also duplicates', () => {
  const handler = at('listComments', '/app/routes/comments.js', 30, { async: true });
  const queries = [
    q('SELECT * FROM comments WHERE post_id = ?', 20, [at('listComments', '/app/routes/comments.js', 32)]),
  ];
  for (let comment = 0; comment < 20; comment++) {
    queries.push(
      q('SELECT * FROM users WHERE id = ?', 1, [at('listComments', '/app/routes/comments.js', 38), handler], {
        valuesKey: `author-${comment % 4}`,
      }),
    );
  }
  const findings = diagnose(cap([req({ items: 20, itemsPath: 'comments', queries })]));
  assert.deepEqual(
    findings.map((f) => f.rule),
    ['n-plus-one'],
  );
});

test("an N+1's statements in one iteration are no sequential awaits to overlap: the loop is the finding", () => {
  const source = [
    'async function list(req, res) {', // 1
    '  const posts = await Post.findAll({ limit: 10 });', // 2
    '  for (const post of posts) {', // 3
    '    post.tags = await post.getTags();', // 4
    '    post.likes = await post.countLikes();', // 5
    '    post.views = await post.countViews();', // 6
    '  }', // 7
    '  res.json({ posts });', // 8
    '}', // 9
  ].join('\n');
  const file = '/app/routes/posts.js';
  let clock = 0;
  const timed = (sql: string, line: number, rows: number, valuesKey: string) => {
    const query = q(sql, rows, [at('list', file, line, { async: line !== 2 })], { valuesKey, startMs: clock });
    clock += 2;
    return query;
  };
  const queries = [timed('SELECT * FROM posts LIMIT ?', 2, 10, 'all')];
  for (let post = 0; post < 10; post++) {
    queries.push(timed('SELECT * FROM tags WHERE post_id = ?', 4, 2, `t${post}`));
    queries.push(timed('SELECT count(*) FROM likes WHERE post_id = ?', 5, 1, `l${post}`));
    queries.push(timed('SELECT count(*) FROM views WHERE post_id = ?', 6, 1, `v${post}`));
  }
  const rules_ = diagnoseFully(
    cap([req({ items: 10, itemsPath: 'posts', queries, wallMs: 70 })]),
    rules,
    () => source,
  ).findings.map((f) => f.rule);
  assert.deepEqual(rules_, ['n-plus-one']);
});

test('the identical query again and again is a duplicate, blamed where it repeats most', () => {
  const fetchUser = at('getCurrentUser', '/app/lib/user.js', 9);
  const queries = [
    q('SELECT * FROM users WHERE id = $1', 1, [fetchUser, at('auth', '/app/middleware/auth.js', 5)], {
      valuesKey: 'same',
    }),
    ...Array.from({ length: 25 }, () =>
      q('SELECT * FROM users WHERE id = $1', 1, [fetchUser, at('format', '/app/routes/contacts.js', 44)], {
        valuesKey: 'same',
      }),
    ),
  ];
  const [top] = diagnose(cap([req({ items: 25, queries })]));
  assert.equal(top?.rule, 'duplicate-queries');
  assert.equal(top?.location?.line, 44);
});

test('a slow query in one run of three is noise; in most runs it is a finding at the statement line', () => {
  const repo = at('search', '/app/repo.js', 12);
  const run = (id: number, ms: number) =>
    req({
      id,
      wallMs: ms + 10,
      queries: [q('SELECT * FROM products WHERE brand = $1 ORDER BY price LIMIT 20', 20, [repo], { durationMs: ms })],
    });
  assert.deepEqual(
    diagnose(cap([run(1, 300), run(2, 3), run(3, 3)])).filter((f) => f.rule === 'slow-query'),
    [],
  );
  const [slow] = diagnose(cap([run(1, 300), run(2, 280), run(3, 3)]));
  assert.equal(slow?.rule, 'slow-query');
  assert.equal(slow?.location?.line, 12);
});

test("a slow LIKE '%…%' search: no B-tree index on the searched column, why, and trigram or full-text instead", () => {
  const repo = at('search', '/app/repo.js', 30);
  const sql = 'SELECT * FROM products WHERE brand = $1 AND title ILIKE $2 ORDER BY price LIMIT 20';
  const plan = [
    'Limit  (cost=1251.00..1252.00 rows=20 width=8)',
    '  ->  Sort  (cost=1251.00..1252.00 rows=600 width=8)',
    '        Sort Key: price',
    '        ->  Seq Scan on products  (cost=0.00..1250.00 rows=600 width=8)',
    "              Filter: ((brand = 'acme'::text) AND (title ~~* '%tea%'::text))",
  ];
  const run = (id: number, extra: Partial<QueryRecord>) =>
    req({ id, wallMs: 310, queries: [q(sql, 20, [repo], { durationMs: 300, ...extra })] });
  // as recorded (the values told it before redaction), and from a PostgreSQL plan alone (an older capture)
  for (const extra of [{ leadingWildcard: ['title'] }, { plan }]) {
    const [slow] = diagnose(cap([run(1, extra), run(2, extra)]));
    assert.equal(slow?.rule, 'slow-query');
    assert.doesNotMatch(`${slow?.title} ${slow?.suggestion}`, /CREATE INDEX ON products \([^)]*title/);
    assert.match(slow?.suggestion ?? '', /cannot use a B-tree index/);
    assert.match(slow?.suggestion ?? '', /gin_trgm_ops/);
    if (extra.plan)
      assert.match(slow?.suggestion ?? '', /CREATE INDEX ON products \(brand, price\)/, 'the other columns');
  }
  const mysql = { driver: 'mysql2', leadingWildcard: ['title'] };
  const [onMysql] = diagnose(cap([run(1, mysql), run(2, mysql)]));
  assert.match(onMysql?.suggestion ?? '', /FULLTEXT/);
  assert.doesNotMatch(onMysql?.suggestion ?? '', /trgm/);
  // the fix is in the statement (full-text search, not LIKE), so it stays there even where the app declares the table
  const declared = [{ names: ['products'], kind: 'table' as const, file: '/app/schema.js', line: 3, endLine: 9 }];
  const { findings } = diagnoseFully(cap([run(1, mysql), run(2, mysql)]), undefined, undefined, declared);
  assert.equal(findings[0]?.location?.file, '/app/repo.js');
  assert.equal(findings[0]?.location?.line, 30);
});

test('a slow query read through an index that serves part of its filter: a warning, with the index that serves all of it', () => {
  const repo = at('openInvoices', '/srv/billing/invoices.ts', 21);
  const sql = 'SELECT * FROM invoices WHERE customer_id = $1 AND state = $2 ORDER BY due_on LIMIT 25';
  const plan = [
    'Limit  (cost=9000.10..9000.16 rows=25 width=64)',
    '  ->  Sort  (cost=9000.10..9000.40 rows=120 width=64)',
    '        Sort Key: due_on',
    '        ->  Bitmap Heap Scan on invoices  (cost=500.00..8990.00 rows=120 width=64)',
    "              Recheck Cond: (state = 'unpaid'::text)",
    '              Filter: (customer_id = 77)',
    '              ->  Bitmap Index Scan on invoices_state_idx  (cost=0.00..499.00 rows=41000 width=0)',
  ];
  const run = (id: number) =>
    req({ id, items: 25, wallMs: 420, queries: [q(sql, 25, [repo], { durationMs: 400, plan })] });
  const [slow] = diagnose(cap([run(1), run(2), run(3)]));
  assert.equal(slow?.rule, 'slow-query');
  assert.notEqual(slow?.severity, 'info', 'the rows the answer carries, but 41,000 read to find them');
  assert.equal(slow?.location?.line, 21);
  assert.match(slow?.title ?? '', /through invoices_state_idx \(≈41,000 rows\) and filters out all but ≈120/);
  assert.match(slow?.suggestion ?? '', /CREATE INDEX ON invoices \(customer_id, state, due_on\)/);
});
