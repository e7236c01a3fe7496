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
