import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filterColumns, indexColumns, joinKeyColumns } from './statement-columns.js';

// A feed query as list endpoints write it: each row's counts in correlated subqueries of the select list, the
// author joined, and whether the reader follows the author joined by its ON condition alone.
const feed = [
  'select `p`.`id`, (select count(`like_id`) from `likes` where `post_id` = p.id and `state` = ?) as `likes`,',
  '(CASE WHEN follow_id IS NULL THEN FALSE ELSE TRUE END) as `following`',
  'from `posts` as `p` left join `accounts` on `p`.`author_id` = `accounts`.`id`',
  'left join `follows` on `follows`.`followee_id` = `accounts`.`id` and `follows`.`state` = ?',
  'where `p`.`state` = ? and `p`.`slug` in (?)',
].join(' ');

test("a subquery's WHERE is about its own table, not the statement's other tables", () => {
  assert.deepEqual(filterColumns(feed, 'likes'), ['post_id', 'state']);
  assert.deepEqual(filterColumns(feed, 'posts'), ['state', 'slug']);
  // the select list's CASE and the subquery's columns are none of the joined table's
  assert.deepEqual(filterColumns(feed, 'follows'), []);
});

test('a table joined by its ON condition alone is keyed by the columns it is joined on', () => {
  assert.deepEqual(joinKeyColumns(feed, 'follows'), ['followee_id', 'state']);
  // the WHERE and ORDER BY name none of its columns
  assert.deepEqual(indexColumns(feed, 'follows'), []);
  // on either side of the equality
  const reversed = 'select * from users u join orders o on u.id = o.user_id where u.email = ?';
  assert.deepEqual(joinKeyColumns(reversed, 'orders'), ['user_id']);
  // the table in FROM is joined by nothing
  assert.deepEqual(joinKeyColumns(reversed, 'users'), []);
  // a joined table the WHERE filters is keyed by the WHERE, as before
  const filtered = 'select * from users u join orders o on o.user_id = u.id where o.status = ? order by o.placed_at';
  assert.deepEqual(indexColumns(filtered, 'orders'), ['status', 'placed_at']);
});

test('a table read in an IN subquery is filtered by that subquery, the outer table by the IN', () => {
  const sql = 'select distinct `tag` from `post_tags` where `post_id` in (select `id` from `posts` where `state` = ?)';
  assert.deepEqual(indexColumns(sql, 'posts'), ['state']);
  assert.deepEqual(indexColumns(sql, 'post_tags'), ['post_id']);
});

test("a derived table's rows are its query's own: TypeORM's paged ids keep their inner filter and outer order", () => {
  const sql =
    'SELECT DISTINCT "distinctAlias"."p_id" AS "ids_p_id", "distinctAlias"."p_created" FROM (SELECT "p"."id" AS "p_id", "p"."created" AS "p_created" FROM "posts" "p" WHERE "p"."author" = $1) "distinctAlias" ORDER BY "distinctAlias"."p_created" DESC LIMIT 20';
  assert.deepEqual(indexColumns(sql, 'posts'), ['author', 'created']);
});
