// slow-query: tables read whole inside a join: which index (if any) the join column wants
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnoseFully, rules } from '../diagnose.js';
import { capture, request } from '../test-support/captures.js';
import { driver, pagedPosts, repo } from '../test-support/slow-query.js';

// an ORM's page of posts with their translations (pagedPosts): the page's ids, then the total, both joining
// every post to every translation read whole
const paged = pagedPosts;
const pageSql =
  'SELECT DISTINCT "d"."p_id" FROM (SELECT p.id AS p_id, t.title AS t_title FROM posts p LEFT JOIN post_translations t ON t.post_id = p.id) "d" ORDER BY "p_id" ASC LIMIT 20';
const countSql = 'SELECT COUNT(DISTINCT(p.id)) AS cnt FROM posts p LEFT JOIN post_translations t ON t.post_id = p.id';
const countPlan = [
  'Aggregate  (cost=12422.02..12422.03 rows=1 width=8)',
  '  ->  Hash Right Join  (cost=3185.00..11922.02 rows=200000 width=16)',
  '        Hash Cond: (t.post_id = p.id)',
  '        ->  Seq Scan on post_translations t  (cost=0.00..8212.00 rows=200000 width=16)',
  '        ->  Hash  (cost=1935.00..1935.00 rows=100000 width=16)',
  '              ->  Seq Scan on posts p  (cost=0.00..1935.00 rows=100000 width=16)',
];

function findingsOf(sql: string, plan: string[]) {
  const runs = [1, 2, 3].map((id) =>
    request({
      id,
      items: 20,
      wallMs: 700,
      queries: [{ driver: 'pg', sql, durationMs: 600, rows: 20, stack: [driver, repo], plan }],
    }),
  );
  return diagnoseFully(capture(runs), rules).findings.filter((f) => f.rule === 'slow-query');
}

test("PostgreSQL: a page of one table's rows joined whole to another wants the other's join column indexed; its count does not", () => {
  const [page] = findingsOf(pageSql, paged);
  assert.match(page?.title ?? '', /CREATE INDEX ON post_translations \(post_id\)/);
  // the total joins every row whatever the index: it needs none of the joined rows
  const [count] = findingsOf(countSql, countPlan);
  assert.doesNotMatch(count?.title ?? '', /CREATE INDEX/);
  assert.match(count?.suggestion ?? '', /^Count posts alone: drop the LEFT JOIN to post_translations/);
});

test('MySQL/MariaDB: a table joined by its ON condition alone, read whole for one row, is keyed by its join columns', () => {
  // one article by slug, each row's likes counted in a select-list subquery, and its author's followers
  // joined by ON only: the follows table is read whole for the one row
  const one =
    'select a.id, (select count(id) from likes where post_id = a.id and state = ?) as likes from posts a left join accounts u on a.author_id = u.id left join follows f on f.followee_id = u.id and f.state = ? where a.state = ? and a.slug in (?)';
  const plan = [
    'table=a type=const possible_keys=posts_slug key=posts_slug rows=1 Extra=',
    'table=u type=const possible_keys=PRIMARY key=PRIMARY rows=1 Extra=',
    'table=f type=ALL possible_keys=NULL key=NULL rows=99722 Extra=Using where',
    'table=likes type=ref possible_keys=likes_post_id key=likes_post_id rows=5 Extra=Using index condition; Using where',
  ];
  const runs = [1, 2, 3].map((id) =>
    request({
      id,
      items: 1,
      wallMs: 90,
      queries: [{ driver: 'mysql2', sql: one, durationMs: 78, rows: 20, stack: [driver, repo], plan }],
    }),
  );
  const [found] = diagnoseFully(capture(runs), rules).findings.filter((f) => f.rule === 'slow-query');
  assert.match(found?.title ?? '', /reads all of follows \(CREATE INDEX ON follows \(followee_id, state\)\)$/);
});

test('two child tables crossed per row before GROUP BY: named at the join that adds the first, no index advice', () => {
  // a search's page of listings with their photo and viewing counts, written as a Kysely chain awaited below it
  const search = [
    "import { sql } from 'kysely';",
    'export async function searchListings(db, city, limit) {',
    '  const rows = await db',
    "    .selectFrom('listings as l')",
    "    .leftJoin('photos as p', 'p.listing_id', 'l.id')",
    "    .leftJoin('viewings as v', 'v.listing_id', 'l.id')",
    "    .select(['l.id', 'l.title'])",
    "    .select((eb) => [eb.fn.count('p.id').distinct().as('photos'), eb.fn.count('v.id').distinct().as('viewings')])",
    "    .where('l.city', '=', city)",
    "    .groupBy('l.id')",
    "    .orderBy('l.id')",
    '    .limit(limit)',
    '    .execute();',
    '  return rows;',
    '}',
  ].join('\n');
  const statement =
    'select "l"."id", "l"."title", count(distinct "p"."id") as "photos", count(distinct "v"."id") as "viewings" from "listings" as "l" left join "photos" as "p" on "p"."listing_id" = "l"."id" left join "viewings" as "v" on "v"."listing_id" = "l"."id" where "l"."city" = $1 group by "l"."id" order by "l"."id" limit $2';
  const plan = [
    'Limit  (cost=0.99..52180.41 rows=20 width=60)',
    '  ->  GroupAggregate  (cost=0.99..1043607.41 rows=400 width=60)',
    '        Group Key: l.id',
    '        ->  Nested Loop Left Join  (cost=0.99..1024407.41 rows=1920000 width=44)',
    '              ->  Nested Loop Left Join  (cost=0.57..3402.41 rows=24000 width=40)',
    '                    ->  Index Scan using listings_pkey on listings l  (cost=0.29..402.29 rows=400 width=36)',
    "                          Filter: (city = 'Leeds'::text)",
    '                    ->  Index Only Scan using photos_listing_id_idx on photos p  (cost=0.29..6.90 rows=60 width=8)',
    '                          Index Cond: (listing_id = l.id)',
    '              ->  Index Only Scan using viewings_listing_id_idx on viewings v  (cost=0.42..34.53 rows=80 width=8)',
    '                    Index Cond: (listing_id = l.id)',
  ];
  const call = { file: '/app/src/search.ts', line: 13, column: 6, functionName: 'searchListings' };
  const runs = [1, 2, 3].map((id) =>
    request({
      id,
      items: 20,
      wallMs: 420,
      queries: [{ driver: 'pg', sql: statement, durationMs: 400, rows: 20, stack: [driver, call], plan }],
    }),
  );
  const [found] = diagnoseFully(capture(runs), rules, (file) => (file === call.file ? search : undefined)).findings;
  assert.equal(found?.rule, 'slow-query');
  assert.equal(found?.location?.line, 5, 'the leftJoin of photos');
  assert.notEqual(found?.severity, 'info');
  assert.match(found?.title ?? '', /joins photos and viewings to each listings row before GROUP BY/);
  assert.match(found?.title ?? '', /≈1,920,000 joined rows for ≈400 groups/);
  assert.doesNotMatch(`${found?.title} ${found?.suggestion}`, /CREATE INDEX/);
  assert.match(
    found?.suggestion ?? '',
    /^Aggregate photos and viewings each on its own before joining, at \/app\/src\/search\.ts:5/,
  );
});

test('a table read whole to hash-join rows that an index already finds, filtered only by a negation: no saving claimed', () => {
  // a seller's lines of a month (indexed), joined to their orders, of which the cancelled ones are left out
  const statement =
    "SELECT l.order_id, o.reference, l.quantity FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE l.seller_id = $1 AND l.placed_at >= $2 AND l.placed_at < $3 AND o.status <> 'cancelled'";
  const plan = [
    'Hash Join  (cost=6350.00..9120.40 rows=4800 width=40)',
    '  Hash Cond: (l.order_id = o.id)',
    '  ->  Index Scan using order_lines_seller_placed on order_lines l  (cost=0.43..2410.12 rows=4800 width=24)',
    '        Index Cond: ((seller_id = 42) AND (placed_at >= $2) AND (placed_at < $3))',
    '  ->  Hash  (cost=4100.00..4100.00 rows=180000 width=20)',
    '        ->  Seq Scan on orders o  (cost=0.00..4100.00 rows=180000 width=20)',
    "              Filter: ((status)::text <> 'cancelled'::text)",
  ];
  const [found] = findingsOf(statement, plan);
  assert.match(found?.title ?? '', /the plan reads all of orders$/);
  assert.doesNotMatch(found?.title ?? '', /CREATE INDEX/);
  assert.ok((found?.savesMs ?? 0) <= 0.1 * 600, `claims ${found?.savesMs} ms of 600`);
});
