import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeSql } from './normalize-sql.js';

test('literals and placeholders become ?', () => {
  assert.equal(
    normalizeSql("SELECT * FROM t1 WHERE id = 42 AND name = 'O''Brien' AND x > 1.5e3 AND y = $2"),
    'SELECT * FROM t1 WHERE id = ? AND name = ? AND x > ? AND y = ?',
  );
});

test('quoted identifiers stay, comments and extra whitespace go', () => {
  assert.equal(
    normalizeSql('SELECT "Card"."id" -- the id\n  FROM `cards` /* all */ WHERE\t"Card"."kind" = E\'a\\\'b\''),
    'SELECT "Card"."id" FROM `cards` WHERE "Card"."kind" = ?',
  );
});

test('IN-lists of any length fold to one shape', () => {
  const a = normalizeSql('SELECT * FROM t WHERE id IN (1, 2, 3)');
  const b = normalizeSql('SELECT * FROM t WHERE id IN ($1,$2,$3,$4,$5)');
  assert.equal(a, 'SELECT * FROM t WHERE id IN (?)');
  assert.equal(b, a);
});

test('multi-row VALUES fold', () => {
  assert.equal(
    normalizeSql("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (3, 'z')"),
    'INSERT INTO t (a, b) VALUES (?, ?), ...',
  );
});

test('dollar-quoted bodies and hex literals are literals', () => {
  assert.equal(normalizeSql("SELECT $tag$it's$tag$, $$x$$, 0xFF, X'0A'"), 'SELECT ?, ?, ?, ?');
});

test('digits inside identifiers are kept', () => {
  assert.equal(normalizeSql('SELECT t2.col3 FROM table_4 t2 LIMIT 10'), 'SELECT t2.col3 FROM table_4 t2 LIMIT ?');
});
