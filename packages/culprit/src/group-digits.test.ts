import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupDigits } from './group-digits.js';

test('groupDigits writes every number as toLocaleString("en-US") does', () => {
  const values = [0, -0, 7, -7, 999, 1000, -1000, 12345, 999999, 1000000, 30001, -1234567, 2 ** 53 - 1, -(2 ** 53 - 1)];
  // not safe integers: ICU's own rounding and grouping
  values.push(1234.5678, 0.5, -0.0004, 1e21, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
  for (const value of values) assert.equal(groupDigits(value), value.toLocaleString('en-US'), String(value));
});
