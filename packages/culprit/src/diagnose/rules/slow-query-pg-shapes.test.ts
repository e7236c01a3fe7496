import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProfileData, QueryRecord, SourceLocation } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { capture, profileFunction, request } from '../test-support/captures.js';
import { driver, repo, slowFinding } from '../test-support/slow-query.js';

test("an ORM's total joining each row's parent counts what the table gives: count less; a join that narrows keeps its index", () => {
  // a paginator's count that joins every order to its restaurant (2,500 of them): the join drops no order
  const joinedCount = [
    'Finalize Aggregate  (cost=24690.14..24690.15 rows=1 width=8)',
    '  ->  Gather  (cost=24689.92..24690.13 rows=2 width=8)',
    '        Workers Planned: 2',
    '        ->  Partial Aggregate  (cost=23689.92..23689.93 rows=1 width=8)',
    '              ->  Hash Join  (cost=72.25..22737.00 rows=381167 width=0)',
    '                    Hash Cond: (o0.restaurant_id = r1.id)',
    '                    ->  Parallel Seq Scan on orders o0  (cost=0.00..21662.50 rows=381167 width=4)',
    "                          Filter: ((status)::text = 'delivered'::text)",
    '                    ->  Hash  (cost=41.00..41.00 rows=2500 width=4)',
    '                          ->  Seq Scan on restaurants r1  (cost=0.00..41.00 rows=2500 width=4)',
  ];
  const counted = slowFinding(
    'select count(*) as "count" from "orders" as "o0" inner join "restaurants" as "r1" on "o0"."restaurant_id" = "r1"."id" where "o0"."status" = $1',
    joinedCount,
  );
  assert.match(counted?.title ?? '', /counts ≈914,801 rows of orders to answer with one number/);
  assert.doesNotMatch(`${counted?.title} ${counted?.suggestion}`, /CREATE INDEX/);
  assert.deepEqual(counted?.location, repo);
  // the comments of one author's posts: the join keeps 60,000 of 1,200,000 comments, which an index on the key reaches
  const narrowing = [
    'Aggregate  (cost=52000.00..52000.01 rows=1 width=8)',
    '  ->  Hash Join  (cost=500.00..51850.00 rows=60000 width=0)',
    '        Hash Cond: (c.post_id = p.id)',
    '        ->  Seq Scan on comments c  (cost=0.00..42000.00 rows=1200000 width=4)',
    '        ->  Hash  (cost=450.00..450.00 rows=4000 width=4)',
    '              ->  Seq Scan on posts p  (cost=0.00..450.00 rows=4000 width=4)',
    '                    Filter: (author_id = 7)',
  ];
  const indexed = slowFinding(
    'SELECT count(*) FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.author_id = $1',
    narrowing,
  );
  assert.doesNotMatch(indexed?.title ?? '', /to answer with one number/);
});

test("a timestamp cast to its day (PostgreSQL's ::date) walks the timestamp's index whole: the cast's line, rewritten as a range", () => {
  // a day's orders, oldest first: the index on placed_at gives the order, the cast keeps it from giving the day
  const dayOrders =
    'SELECT o.id, o.status, r.name FROM orders o JOIN restaurants r ON r.id = o.restaurant_id WHERE o.placed_at::date = $1 ORDER BY o.placed_at LIMIT $2';
  const plan = [
    'Limit  (cost=0.71..901.85 rows=100 width=60)',
    '  ->  Nested Loop  (cost=0.71..31540.65 rows=3500 width=60)',
    '        ->  Index Scan using orders_placed_at_idx on orders o  (cost=0.42..31025.42 rows=3500 width=45)',
    "              Filter: ((placed_at)::date = '2025-06-15'::date)",
    '        ->  Memoize  (cost=0.29..0.33 rows=1 width=19)',
    '              ->  Index Scan using restaurants_pkey on restaurants r  (cost=0.28..0.32 rows=1 width=19)',
    '                    Index Cond: (id = o.restaurant_id)',
  ];
  const orders: SourceLocation = { file: '/app/src/orders.js', line: 4, column: 13, functionName: 'ordersForDay' };
  const source = [
    'async function ordersForDay(day, limit) {',
    '  // the operations screen',
    '',
    '  return db.any(',
    '    `SELECT o.id, o.status, r.name',
    '       FROM orders o JOIN restaurants r ON r.id = o.restaurant_id',
    '      WHERE o.placed_at::date = $1',
    '      ORDER BY o.placed_at',
    '      LIMIT $2`,',
    '    [day, limit],',
    '  );',
    '}',
  ].join('\n');
  const query: QueryRecord = {
    driver: 'pg',
    sql: dayOrders,
    durationMs: 150,
    rows: 100,
    stack: [driver, orders],
    plan,
  };
  const slow = capture([1, 2, 3].map((id) => request({ id, items: 100, wallMs: 155, queries: [query] })));
  const [top] = diagnoseFully(slow, rules, (path) => (path === orders.file ? source : undefined)).findings;
  assert.equal(top?.rule, 'slow-query');
  assert.deepEqual(top?.location && [top.location.file, top.location.line], ['/app/src/orders.js', 7]);
  assert.match(top?.title ?? '', /wraps placed_at in DATE\(\)/);
  assert.match(top?.suggestion ?? '', /^Compare placed_at itself with a range/);
  // where no cast stands in the way, an index walked for its order (ORDER BY … LIMIT) with an Index Cond is no finding
  const keyed = plan.map((line) =>
    line.includes('Filter:') ? "              Index Cond: (placed_at >= '2025-06-15'::date)" : line,
  );
  const ranged = dayOrders.replace('o.placed_at::date = $1', 'o.placed_at >= $1');
  const fine = { ...query, sql: ranged, plan: keyed, durationMs: 2 };
  const quick = capture([1, 2, 3].map((id) => request({ id, items: 100, wallMs: 6, queries: [fine] })));
  assert.equal(diagnoseFully(quick, rules).findings.filter((f) => f.rule === 'slow-query').length, 0);
});

test('a statement returned unawaited by the function the handler awaits: the line in that function, not the handler', () => {
  // `return db.any(…)` leaves no frame of ordersForDay in the async stack: only the route's await
  const route: SourceLocation = { file: '/app/server.js', line: 3, column: 16, async: true };
  const files: Record<string, string> = {
    '/app/server.js': [
      "app.get('/orders', async (req) => {",
      '  const { day } = req.query;',
      '  const rows = await ordersForDay(day, 100);',
      '  return { rows };',
      '});',
    ].join('\n'),
    '/app/src/orders.js': [
      'function ordersForDay(day, limit) {',
      '  return db.any(',
      '    `SELECT o.id, o.status FROM orders o',
      '      WHERE o.placed_at::date = $1',
      '      ORDER BY o.placed_at LIMIT $2`,',
      '    [day, limit],',
      '  );',
      '}',
    ].join('\n'),
  };
  const plan = [
    'Limit  (cost=0.42..901.85 rows=100 width=60)',
    '  ->  Index Scan using orders_placed_at_idx on orders o  (cost=0.42..31025.42 rows=3500 width=45)',
    "        Filter: ((placed_at)::date = '2025-06-15'::date)",
  ];
  const sql = 'SELECT o.id, o.status FROM orders o WHERE o.placed_at::date = $1 ORDER BY o.placed_at LIMIT $2';
  const query: QueryRecord = { driver: 'pg', sql, durationMs: 150, rows: 100, stack: [driver, route], plan };
  const profile: ProfileData = {
    sampleIntervalUs: 1000,
    requestCount: 2,
    durationMs: 300,
    countedRequests: 2,
    functions: [
      profileFunction('(root)', '', 0, 'root'),
      profileFunction('ordersForDay', '/app/src/orders.js', 1, 'app', { calls: 2 }),
    ],
    nodes: [{ fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: 0 }],
  };
  const runs = [1, 2, 3].map((id) => request({ id, items: 100, wallMs: 155, queries: [query] }));
  const [top] = diagnoseFully(capture(runs, profile), rules, (path) => files[path]).findings;
  assert.equal(top?.rule, 'slow-query');
  assert.deepEqual(top?.location && [top.location.file, top.location.line], ['/app/src/orders.js', 4]);
  // without the profile's word on which function ran, the handler's line stays
  const [unprofiled] = diagnoseFully(capture(runs), rules, (path) => files[path]).findings;
  assert.deepEqual(unprofiled?.location && [unprofiled.location.file, unprofiled.location.line], ['/app/server.js', 3]);
});

test('a pager total counting distinct jobs through a LEFT JOIN nothing else uses: drop the join, not index it', () => {
  const total = slowFinding(
    'SELECT count(DISTINCT j.id)::int AS total FROM job_postings j LEFT JOIN applications a ON a.job_id = j.id WHERE j.status = $1 AND j.department = $2',
    [
      'Aggregate  (cost=32871.90..32871.91 rows=1 width=4)',
      '  ->  Hash Right Join  (cost=2195.91..32497.83 rows=149625 width=4)',
      '        Hash Cond: (a.job_id = j.id)',
      '        ->  Seq Scan on applications a  (cost=0.00..26364.00 rows=1500000 width=4)',
      '        ->  Hash  (cost=2146.04..2146.04 rows=3990 width=4)',
      '              ->  Bitmap Heap Scan on job_postings j  (cost=85.19..2146.04 rows=3990 width=4)',
      "                    Recheck Cond: ((status = 'open'::text) AND (department = 'Engineering'::text))",
    ],
    1,
  );
  assert.match(total?.title ?? '', /through a LEFT JOIN to applications \(≈149,625 joined rows\)/);
  assert.match(total?.suggestion ?? '', /^Count job_postings alone: drop the LEFT JOIN to applications/);
  assert.doesNotMatch(`${total?.title} ${total?.suggestion}`, /CREATE INDEX/);
});

test("a member's ticket total over a LEFT JOIN PostgreSQL drops: the join's column keeps the count off its index", () => {
  const total = slowFinding(
    'select count(*) as "total" from "tickets" left join "teams" on "tickets"."team_id" = "teams"."id" where "tickets"."assignee_id" = $1',
    [
      'Aggregate  (cost=4210.50..4210.51 rows=1 width=8)',
      '  ->  Bitmap Heap Scan on tickets  (cost=180.20..4170.10 rows=16160 width=0)',
      '        Recheck Cond: (assignee_id = 7)',
      '        ->  Bitmap Index Scan on tickets_assignee_id_idx  (cost=0.00..176.16 rows=16160 width=0)',
      '              Index Cond: (assignee_id = 7)',
    ],
    1,
  );
  assert.notEqual(total?.severity, 'info', 'not "as fast as that count gets": the index alone would count it');
  assert.match(
    total?.title ?? '',
    /counts ≈16,160 rows of tickets, each read from the table, .*PostgreSQL drops the LEFT JOIN to teams .* still reads tickets\.team_id/,
  );
  assert.match(total?.suggestion ?? '', /^Count tickets alone: drop the LEFT JOIN to teams .*index-only scan/);
  assert.doesNotMatch(`${total?.title} ${total?.suggestion}`, /CREATE INDEX/);
});

test('a filter shifting a timestamp to a local day before comparing it: compare the column with a range, no index on the cast', () => {
  const found = slowFinding(
    'select (e.occurred_at AT TIME ZONE $1)::date as day, e.name, count(*) as events from events as e where e.project_id = $2 and (e.occurred_at AT TIME ZONE $3)::date >= $4::date group by 1, 2 order by day asc, name asc',
    [
      'GroupAggregate  (cost=13722.69..14734.25 rows=36784 width=29)',
      "  Group Key: (((occurred_at AT TIME ZONE 'UTC'::text))::date), name",
      '  ->  Sort  (cost=13722.69..13814.65 rows=36784 width=20)',
      "        Sort Key: (((occurred_at AT TIME ZONE 'UTC'::text))::date), name",
      '        ->  Bitmap Heap Scan on events e  (cost=2545.26..10933.22 rows=36784 width=20)',
      '              Recheck Cond: (project_id = 2)',
      "              Filter: (((occurred_at AT TIME ZONE 'UTC'::text))::date >= '2026-11-25'::date)",
      '              ->  Bitmap Index Scan on events_project_time  (cost=0.00..2536.06 rows=110352 width=0)',
      '                    Index Cond: (project_id = 2)',
    ],
    50,
  );
  assert.match(found?.suggestion ?? '', /^Compare occurred_at itself with a range/);
  assert.doesNotMatch(`${found?.title} ${found?.suggestion}`, /CREATE INDEX ON events \(project_id, date/);
});

test('a lookup by an unindexed column whose eager relation goes through a link table: both whole reads get their index', () => {
  // a product found by its slug, with its categories through product_categories: the product's scan is
  // the costlier, and the link table is read whole as the probe side of a hash join against that one row
  const lookup =
    'select "products"."id", "categories"."name" from "products" left join "product_categories" as "pc" on "pc"."product_id" = "products"."id" left join "categories" on "pc"."category_id" = "categories"."id" where "products"."slug" = $1';
  const plan = [
    'Nested Loop Left Join  (cost=5300.16..6383.03 rows=3 width=14)',
    '  ->  Hash Right Join  (cost=5300.01..6382.55 rows=3 width=8)',
    '        Hash Cond: (pc.product_id = products.id)',
    '        ->  Seq Scan on product_categories pc  (cost=0.00..925.00 rows=60000 width=8)',
    '        ->  Hash  (cost=5300.00..5300.00 rows=1 width=4)',
    '              ->  Seq Scan on products  (cost=0.00..5300.00 rows=1 width=4)',
    "                    Filter: ((slug)::text = 'blue-chair'::text)",
    '  ->  Index Scan using categories_pkey on categories  (cost=0.14..0.16 rows=1 width=10)',
    '        Index Cond: (id = pc.category_id)',
  ];
  const found = slowFinding(lookup, plan, 1);
  assert.match(
    found?.title ?? '',
    /reads all of products \(CREATE INDEX ON products \(slug\)\), and all of product_categories to match ≈1 row of the join by product_id \(CREATE INDEX ON product_categories \(product_id\)\)/,
  );
  assert.match(
    found?.suggestion ?? '',
    /CREATE INDEX ON products \(slug\); CREATE INDEX ON product_categories \(product_id\)/,
  );
  // a link table of a few pages is read whole as fast as by an index: not named
  const small = plan.map((line) => line.replace('cost=0.00..925.00 rows=60000', 'cost=0.00..9.00 rows=300'));
  assert.doesNotMatch(slowFinding(lookup, small, 1)?.title ?? '', /product_categories/);
});

test('a page sorted over an eager join hashes the whole link table: the sort index and the join-column index together', () => {
  // the newest 50 products with their categories through product_categories: PostgreSQL hashes every link
  // row, joins all products, sorts them, keeps 50; an index on the sort column alone leaves that plan as is
  const page =
    'select "products"."id", "categories"."name" from "products" left join "product_categories" as "pc" on "pc"."product_id" = "products"."id" left join "categories" on "pc"."category_id" = "categories"."id" order by "updated_at" desc limit $1';
  const plan = [
    'Limit  (cost=8964.96..8970.79 rows=50 width=642)',
    '  ->  Gather Merge  (cost=8964.96..14798.70 rows=50000 width=642)',
    '        Workers Planned: 2',
    '        ->  Sort  (cost=7964.93..8027.43 rows=25000 width=642)',
    '              Sort Key: products.updated_at DESC',
    '              ->  Hash Left Join  (cost=1682.50..7134.45 rows=25000 width=642)',
    '                    Hash Cond: (pc.category_id = categories.id)',
    '                    ->  Hash Left Join  (cost=1675.00..7059.93 rows=25000 width=636)',
    '                          Hash Cond: (products.id = pc.product_id)',
    '                          ->  Parallel Seq Scan on products  (cost=0.00..5083.33 rows=8333 width=632)',
    '                          ->  Hash  (cost=925.00..925.00 rows=60000 width=8)',
    '                                ->  Seq Scan on product_categories pc  (cost=0.00..925.00 rows=60000 width=8)',
    '                    ->  Hash  (cost=5.00..5.00 rows=200 width=10)',
    '                          ->  Seq Scan on categories  (cost=0.00..5.00 rows=200 width=10)',
  ];
  const found = slowFinding(page, plan, 50);
  assert.match(found?.title ?? '', /reads all of products and sorts it \(CREATE INDEX ON products \(updated_at\)\)/);
  assert.match(
    found?.title ?? '',
    /hashes all of product_categories to join it by product_id before keeping a page of 50 \(CREATE INDEX ON product_categories \(product_id\)/,
  );
  assert.match(
    found?.suggestion ?? '',
    /CREATE INDEX ON products \(updated_at\); CREATE INDEX ON product_categories \(product_id\)/,
  );
  // the small lookup table is hashed whole as cheaply as by an index: not named
  assert.doesNotMatch(found?.title ?? '', /all of categories/);
  // without the LIMIT every joined row is returned: hashing the link table is the right plan
  const all = plan.slice(1).map((line) => line.slice(6));
  assert.doesNotMatch(slowFinding(page.replace(/ limit \$1$/, ''), all, 50)?.title ?? '', /product_categories/);
});

test('a feed ordered by a function of two columns under a LIMIT sorts every kept row: the line writing the order, an expression index', () => {
  // a blog's feed, newest activity first, written as greatest(edited, published) by a helper that picks the order
  const feed =
    'select p.id, p.title from posts p where p.blog_id = $1 and p.state = $2 order by greatest(p.edited_at, p.published_at) desc, p.id desc limit $3';
  const plan = [
    'Limit  (cost=61234.10..61236.43 rows=20 width=48)',
    '  ->  Gather Merge  (cost=61234.10..90112.55 rows=247500 width=48)',
    '        Workers Planned: 2',
    '        ->  Sort  (cost=60234.08..60543.45 rows=123750 width=48)',
    '              Sort Key: (GREATEST(edited_at, published_at)) DESC, id DESC',
    '              ->  Parallel Seq Scan on posts p  (cost=0.00..57003.00 rows=123750 width=48)',
    "                    Filter: ((blog_id = 3) AND (state = 'live'::text))",
  ];
  const feedFile = '/app/src/feed.js';
  const source = [
    'function feedOrder(kind) {',
    "  if (kind === 'popular') return 'p.score desc, p.id desc';",
    "  return 'greatest(p.edited_at, p.published_at) desc, p.id desc';",
    '}',
    '',
    'export async function feed(db, blogId, kind) {',
    '  const { rows } = await db.query(',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of an app file, not a template
    '    `select p.id, p.title from posts p where p.blog_id = $1 and p.state = $2 order by ${feedOrder(kind)} limit $3`,',
    "    [blogId, 'live', 20],",
    '  );',
    '  return rows;',
    '}',
  ].join('\n');
  const at: SourceLocation = { file: feedFile, line: 7, column: 26, functionName: 'feed' };
  const query: QueryRecord = { driver: 'pg', sql: feed, durationMs: 400, rows: 20, stack: [driver, at], plan };
  const runs = capture([1, 2, 3].map((id) => request({ id, items: 20, wallMs: 420, queries: [query] })));
  const [top] = diagnoseFully(runs, rules, (path) => (path === feedFile ? source : undefined)).findings;
  assert.equal(top?.rule, 'slow-query');
  assert.deepEqual(top?.location && [top.location.file, top.location.line], [feedFile, 3]);
  assert.match(
    top?.title ?? '',
    /sorts by greatest\(edited_at, published_at\), which no index on edited_at or published_at/,
  );
  assert.match(
    top?.suggestion ?? '',
    /CREATE INDEX ON posts \(blog_id, state, \(greatest\(edited_at, published_at\)\) DESC, id DESC\)/,
  );
  // ordered by the column itself, the index advice names the column
  const plain = { ...query, sql: feed.replace('greatest(p.edited_at, p.published_at)', 'p.published_at') };
  const byColumn = capture([1, 2, 3].map((id) => request({ id, items: 20, wallMs: 420, queries: [plain] })));
  const [column] = diagnoseFully(byColumn, rules).findings;
  assert.match(column?.suggestion ?? '', /CREATE INDEX ON posts \(blog_id, state, published_at, id\)/);
});
