import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pagedPosts } from '../test-support/slow-query.js';
import { containmentColumns, filterColumns, pgSeqScans } from './pg-seq-scans.js';

test("a Filter's columns: the scanned table's own, not another alias's, a literal's, a cast's or a subplan's", () => {
  assert.deepEqual(filterColumns('Filter: (author_id = $9)'), ['author_id']);
  assert.deepEqual(filterColumns('Filter: (following_id = author.id)'), ['following_id']);
  assert.deepEqual(filterColumns("Filter: (((status)::text = 'open'::text) AND (created_at > now()))"), [
    'status',
    'created_at',
  ]);
  assert.deepEqual(filterColumns("Filter: (note = 'by author_id and id'::text)"), ['note']);
  assert.deepEqual(filterColumns('Filter: (NOT (hashed SubPlan 1))'), []);
});

test('a negated comparison keeps most rows: its column is no key, the rest of the filter still is', () => {
  assert.deepEqual(filterColumns("Filter: ((status)::text <> 'cancelled'::text)"), []);
  assert.deepEqual(filterColumns('Filter: ((seller_id = 42) AND (deleted_at IS NOT NULL) AND (kind != 3))'), [
    'seller_id',
  ]);
  assert.deepEqual(filterColumns("Filter: ((state <> ALL ('{done,void}'::text[])) AND (owner = $1))"), ['owner']);
});

test('a column compared through lower() or upper() is keyed by that expression', () => {
  assert.deepEqual(filterColumns("Filter: (lower((title)::text) = 'article 500'::text)"), ['lower(title)']);
  assert.deepEqual(filterColumns("Filter: ((upper(email) = 'A@B.C'::text) AND (active IS TRUE))"), [
    'upper(email)',
    'active',
  ]);
});

// an ORM's page: each row's author joined laterally, and the author's followers read in full for each row
const lateralPlan = [
  'Nested Loop Left Join  (cost=1981.57..611059.07 rows=304 width=94)',
  '  ->  Seq Scan on comments  (cost=0.00..6207.75 rows=304 width=78)',
  "        Filter: (article_id = '8a8bb7cd-343a-a2ad-99b7-d762030857a2'::uuid)",
  '  ->  Nested Loop Left Join  (cost=1981.57..1989.63 rows=1 width=32)',
  '        ->  Index Scan using users_pkey on users author  (cost=0.28..8.30 rows=1 width=645)',
  '              Index Cond: (id = comments.author_id)',
  '        ->  Aggregate  (cost=1981.29..1981.30 rows=1 width=32)',
  '              ->  Seq Scan on users_followers author_followers  (cost=0.00..1981.19 rows=20 width=32)',
  '                    Filter: (following_id = author.id)',
];

test('a scan on the inner side of a Nested Loop costs its own cost once per outer row', () => {
  const [comments, followers] = pgSeqScans(lateralPlan);
  assert.equal(comments?.table, 'comments');
  assert.equal(comments?.cost, 6207.75);
  assert.deepEqual(comments?.filterColumns, ['article_id']);
  assert.equal(followers?.table, 'users_followers');
  assert.equal(followers?.cost, 1981.19 * 304, 'run once for each of the 304 comments');
  assert.deepEqual(followers?.filterColumns, ['following_id']);
  assert.equal(followers?.planCost, 611059.07);
});

test('a scan kept by a Materialize or a Hash runs once, however many outer rows a Nested Loop above has', () => {
  // a page of posts sorted whole for its LIMIT, each row joined to the reader's own likes and follows,
  // both read once into a Materialize and re-read from it per row
  const plan = [
    'Limit  (cost=10911.34..15442.35 rows=20 width=747)',
    '  ->  Nested Loop Left Join  (cost=10911.34..20400475.89 rows=90000 width=747)',
    '        ->  Nested Loop Left Join  (cost=10910.92..33824.16 rows=30000 width=710)',
    '              ->  Sort  (cost=9910.60..9941.85 rows=30000 width=653)',
    '                    Sort Key: posts.created_at DESC',
    '                    ->  Seq Scan on posts  (cost=0.00..5427.00 rows=30000 width=653)',
    '              ->  Materialize  (cost=0.00..3580.15 rows=30 width=32)',
    '                    ->  Seq Scan on likes  (cost=0.00..3580.00 rows=30 width=32)',
    "                          Filter: (reader_id = 'e4774cdd-a079-3f86-414e-8b9140bb6db4'::uuid)",
    '        ->  Hash  (cost=2387.00..2387.00 rows=20 width=32)',
    '              ->  Seq Scan on follows  (cost=0.00..2387.00 rows=20 width=32)',
    "                    Filter: (follower_id = 'e4774cdd-a079-3f86-414e-8b9140bb6db4'::uuid)",
  ];
  const costs = Object.fromEntries(pgSeqScans(plan).map((scan) => [scan.table, scan.cost]));
  assert.deepEqual(costs, { posts: 5427, likes: 3580, follows: 2387 });
});

test('an index lookup by a column the index does not lead with walks all of it, on each run a LIMIT lets happen', () => {
  // a page of posts joined to their tag links through a unique (tag, post) index, looked up by post alone
  const plan = [
    'Limit  (cost=10911.34..15442.35 rows=20 width=747)',
    '  ->  Nested Loop Left Join  (cost=10911.34..20304889.16 rows=90000 width=742)',
    '        ->  Sort  (cost=9910.60..9941.85 rows=30000 width=653)',
    '              Sort Key: posts.created_at DESC',
    '              ->  Seq Scan on posts  (cost=0.00..5427.00 rows=30000 width=653)',
    '        ->  Index Scan using post_tags_tag_post_unique on post_tags  (cost=0.42..675.67 rows=3 width=48)',
    '              Index Cond: (post = posts.id)',
  ];
  const [posts, links] = pgSeqScans(plan);
  assert.equal(posts?.cost, 5427, 'the sort reads every row first: the LIMIT does not shorten it');
  assert.equal(links?.table, 'post_tags');
  assert.equal(links?.walkedIndex, 'post_tags_tag_post_unique');
  assert.deepEqual(links?.filterColumns, ['post']);
  // 30,000 lookups planned, the LIMIT's 20 of 90,000 rows: about 7 of them run
  assert.ok(Math.abs((links?.cost ?? 0) - 675.67 * 30000 * (20 / 90000)) < 1e-6);
  // a lookup by a leading column costs a few units a row, and a partial read with a Filter is another shape
  const lookups = [
    'Nested Loop  (cost=0.70..900.00 rows=100 width=8)',
    '  ->  Index Scan using users_pkey on users  (cost=0.28..8.30 rows=1 width=8)',
    '        Index Cond: (id = 5)',
    '  ->  Index Scan using posts_author_idx on posts  (cost=0.42..890.00 rows=300 width=8)',
    '        Index Cond: (author_id = users.id)',
    '  ->  Index Scan using posts_created_idx on posts p2  (cost=0.42..5000.00 rows=2 width=8)',
    '        Index Cond: (created_at > now())',
    "        Filter: (status = 'draft'::text)",
  ];
  assert.deepEqual(pgSeqScans(lookups), []);
});

test("a Sort above a join orders the outer table's rows, not those of a table looked up for each", () => {
  const plan = [
    'Limit  (cost=24078.75..24078.78 rows=12 width=1241)',
    '  ->  Sort  (cost=24078.75..24078.78 rows=12 width=1241)',
    '        Sort Key: articles.created_at DESC',
    '        ->  Nested Loop Left Join  (cost=1990.43..24078.53 rows=12 width=1241)',
    '              ->  Seq Scan on articles  (cost=0.00..10600.00 rows=12 width=1177)',
    "                    Filter: (title = 'x'::text)",
    '              ->  Seq Scan on users_followers  (cost=0.00..1981.19 rows=20 width=32)',
    '                    Filter: (following_id = articles.author_id)',
  ];
  assert.deepEqual(
    pgSeqScans(plan).map((scan) => [scan.table, scan.sorted]),
    [
      ['articles', true],
      ['users_followers', false],
    ],
  );
});

test('an unfiltered scan probing a Hash Join of a few hashed rows is probed by its join column', () => {
  const feed = [
    'Aggregate  (cost=9483.54..9483.55 rows=1 width=8)',
    '  ->  Hash Join  (cost=83.54..9482.94 rows=240 width=0)',
    '        Hash Cond: (articles.author_id = relationships.followed_id)',
    '        ->  Seq Scan on articles  (cost=0.00..9172.00 rows=60000 width=8)',
    '        ->  Hash  (cost=83.29..83.29 rows=20 width=8)',
    '              ->  Index Scan using relationships_follower_id on relationships  (cost=0.42..83.29 rows=20 width=16)',
  ];
  assert.deepEqual(pgSeqScans(feed)[0]?.probes, { columns: ['author_id'], hashedRows: 20 });
  // both sides large: the hash join is the right plan, no index lookup would beat it
  const wide = feed.map((line) => line.replace('rows=20 width=8', 'rows=30000 width=8'));
  assert.equal(pgSeqScans(wide)[0]?.probes, undefined);
  // a lookup table of a page: read whole as fast as through an index
  const small = feed.map((line) => line.replace('cost=0.00..9172.00 rows=60000', 'cost=0.00..1.30 rows=30'));
  const smallProbe = small.map((line) => line.replace('rows=20 width=8', 'rows=2 width=8'));
  assert.equal(pgSeqScans(smallProbe)[0]?.probes, undefined);
});

test("a page of one side's rows in its order, joined whole to a table read in full, is probed by the join column", () => {
  // an ORM's paged ids of posts with their translations joined: every post is joined before the 20 are kept
  const paged = pagedPosts;
  assert.deepEqual(pgSeqScans(paged)[0]?.probes, { columns: ['post_id'], hashedRows: 20 });
  // ordered by a column of the scanned table: every row must be joined to find the first 20
  const byTranslation = paged.map((line) => line.replace('Sort Key: p.id', 'Sort Key: t.title'));
  assert.equal(pgSeqScans(byTranslation)[0]?.probes, undefined);
  // a count of the join keeps one row but needs every joined row: no LIMIT, no page
  const count = paged.slice(5).map((line) => line.replace(/^ {6}/, ''));
  count.unshift('Aggregate  (cost=12422.02..12422.03 rows=1 width=8)');
  assert.equal(pgSeqScans(count)[0]?.probes, undefined);
});

test('a type of several words is a cast, not a column; an array containment wants a GIN index', () => {
  const filter = "Filter: (tag_list @> '{tag3}'::character varying[])";
  assert.deepEqual(filterColumns(filter), ['tag_list']);
  assert.deepEqual(containmentColumns(filter), ['tag_list']);
  assert.deepEqual(filterColumns("Filter: (created_at > '2024-01-01'::timestamp without time zone)"), ['created_at']);
  assert.deepEqual(containmentColumns("Filter: ((status)::text = 'open'::text)"), []);
});
