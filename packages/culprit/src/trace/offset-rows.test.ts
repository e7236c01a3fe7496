import assert from 'node:assert/strict';
import { test } from 'node:test';
import { offsetRows } from './offset-rows.js';

test('offsetRows reads a literal OFFSET, and MySQL LIMIT offset, count', () => {
  assert.equal(offsetRows('SELECT * FROM t ORDER BY id LIMIT 20 OFFSET 40000', undefined), 40_000);
  assert.equal(offsetRows('select * from t order by id limit 40000, 20', []), 40_000);
});

test('offsetRows reads bound values: positional ?, numbered $n, numbers given as strings', () => {
  assert.equal(offsetRows('SELECT a FROM t WHERE b = ? ORDER BY c LIMIT ? OFFSET ?', ['x', 51, 74_950]), 74_950);
  assert.equal(offsetRows('SELECT a FROM t ORDER BY c LIMIT $1 OFFSET $2', [25, '500']), 500);
  assert.equal(offsetRows('SELECT a FROM t ORDER BY c LIMIT ?, ?', [9_000, 30]), 9_000);
});

test('offsetRows skips question marks inside string literals when counting placeholders', () => {
  assert.equal(offsetRows("SELECT a FROM t WHERE note = 'why?' AND b = ? LIMIT 10 OFFSET ?", [1, 300]), 300);
});

test('offsetRows says nothing without an OFFSET, or when its value is not a count', () => {
  assert.equal(offsetRows('SELECT * FROM t LIMIT 10', []), undefined);
  assert.equal(offsetRows('SELECT * FROM t LIMIT 10 OFFSET ?', ['?']), undefined);
  assert.equal(offsetRows('SELECT * FROM t LIMIT 10 OFFSET ?', undefined), undefined);
});
