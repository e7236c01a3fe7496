import assert from 'node:assert/strict';
import { test } from 'node:test';
import { plural } from './evidence.js';

test('plural: one noun, or its plural (a consonant and y make -ies)', () => {
  assert.equal(plural(1, 'independent query'), '1 independent query');
  assert.equal(plural(3, 'independent query'), '3 independent queries');
  assert.equal(plural(2, 'key'), '2 keys');
  assert.equal(plural(20, 'row'), '20 rows');
});
