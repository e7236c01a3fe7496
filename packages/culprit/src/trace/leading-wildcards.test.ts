// Which LIKE patterns start with a wildcard, whatever way the value reaches the statement.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leadingWildcardColumns } from './leading-wildcards.js';

test('a wildcard first, as a literal, a numbered or positional parameter, or CONCAT', () => {
  const cases: Array<[string, unknown[] | undefined, string[]]> = [
    ["SELECT * FROM products WHERE title LIKE '%tea%'", undefined, ['title']],
    ['SELECT * FROM products WHERE "products"."title" ILIKE $2 AND brand = $1', ['acme', '%tea'], ['title']],
    ['SELECT * FROM `products` WHERE `brand` = ? AND `title` LIKE ?', ['a?b', '_ea%'], ['title']],
    ["SELECT * FROM p WHERE note = 'why?' AND title LIKE ?", ['%x'], ['title']],
    ["SELECT * FROM p WHERE title LIKE CONCAT('%', ?, '%')", ['tea'], ['title']],
    ["SELECT * FROM p WHERE title LIKE '%' || $1 || '%'", ['tea'], ['title']],
    ["SELECT * FROM p WHERE lower(title) LIKE '%tea%'", undefined, ['title']],
    ["SELECT * FROM p WHERE title NOT LIKE '%draft'", undefined, ['title']],
  ];
  for (const [sql, params, expected] of cases) assert.deepEqual(leadingWildcardColumns(sql, params), expected, sql);
});

test('a prefix pattern, which a B-tree index serves, and statements without LIKE: none', () => {
  assert.deepEqual(leadingWildcardColumns("SELECT * FROM p WHERE title LIKE 'tea%'", undefined), []);
  assert.deepEqual(leadingWildcardColumns('SELECT * FROM p WHERE title LIKE $1', ['tea%']), []);
  assert.deepEqual(leadingWildcardColumns('SELECT * FROM p WHERE title LIKE ?', ['?']), [], 'a redacted value');
  assert.deepEqual(leadingWildcardColumns('SELECT * FROM p WHERE title LIKE ?', undefined), []);
  assert.deepEqual(leadingWildcardColumns('SELECT * FROM p WHERE id = ?', [1]), []);
});

test('a search over an expression of several columns is kept as that expression, not as its last column', () => {
  assert.deepEqual(
    leadingWildcardColumns(
      'select count(*) from "notes" left join "folders" on "notes"."folder_id" = "folders"."id" where "notes"."owner_id" = ? and concat_ws(?, title, notes.body, folders.name) ilike ?',
      [3, ' ', '%plan%'],
    ),
    ['concat_ws(title, notes.body, folders.name)'],
  );
  // one column inside a call is still that column
  assert.deepEqual(leadingWildcardColumns("SELECT * FROM p WHERE lower(coalesce(title, '')) LIKE ?", ['%x']), [
    'title',
  ]);
});
