import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LONG_IN_LIST, longInList } from './in-list.js';

const list = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

test('a long list of values compared with a column of the table, qualified by its alias or not', () => {
  const sql = `select c.* from comment as c where c.article_id in (${list(2_500)}) order by c.id`;
  assert.deepEqual(longInList(sql, 'comment'), { column: 'article_id', values: 2_500 });
  assert.deepEqual(longInList(`SELECT * FROM tags WHERE post IN (${list(150)})`, 'tags'), {
    column: 'post',
    values: 150,
  });
});

test('a short list, another table’s column, or a subquery is no long list', () => {
  assert.equal(
    longInList(`select * from comment where article_id in (${list(LONG_IN_LIST - 1)})`, 'comment'),
    undefined,
  );
  assert.equal(
    longInList(`select * from comment c join article a on a.id = c.article_id where a.id in (${list(500)})`, 'comment'),
    undefined,
  );
  assert.equal(longInList('select * from comment where article_id in (select id from article)', 'comment'), undefined);
});
