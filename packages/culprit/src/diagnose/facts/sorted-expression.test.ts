import assert from 'node:assert/strict';
import { test } from 'node:test';
import { orderKeys, sortedExpression, sortedExpressionWritten } from './sorted-expression.js';

test('the ORDER BY is split at its own commas, not those inside a function', () => {
  assert.deepEqual(orderKeys(' coalesce(a.x, a.y) DESC, a.id DESC '), ['coalesce(a.x, a.y) DESC', 'a.id DESC']);
});

test('a limited statement ordered first by a function of its columns sorts by an expression', () => {
  const sorted = sortedExpression(
    'SELECT p.id FROM posts p WHERE p.blog_id = $1 ORDER BY greatest(p.edited_at, p.published_at) DESC NULLS LAST, p.id DESC LIMIT 20',
  );
  assert.deepEqual(sorted, {
    expression: 'greatest(edited_at, published_at)',
    written: 'greatest(p.edited_at, p.published_at)',
    direction: ' DESC',
    columns: ['edited_at', 'published_at'],
    after: ['id DESC'],
  });
  assert.ok(sortedExpressionWritten(sorted).test('      return sql`greatest( p.edited_at,p.published_at ) desc`;'));
});

test('aggregates, random draws, plain columns, groups and unlimited statements are no sorted expression', () => {
  for (const sql of [
    'SELECT * FROM posts ORDER BY published_at DESC LIMIT 20',
    'SELECT * FROM posts ORDER BY random() LIMIT 5',
    'SELECT blog_id, max(published_at) FROM posts GROUP BY blog_id ORDER BY max(published_at) DESC LIMIT 10',
    'SELECT * FROM posts ORDER BY lower(title)',
  ]) {
    assert.equal(sortedExpression(sql), undefined, sql);
  }
});
