import assert from 'node:assert/strict';
import { test } from 'node:test';
import { replySize } from './raw-call.js';

test("a reply's size: strings and buffers summed through arrays and objects", () => {
  assert.equal(replySize('alice'), 5);
  assert.equal(replySize(Buffer.from('abc')), 3);
  assert.equal(replySize(['ab', ['cd', 7]]), 5);
  assert.equal(replySize({ name: 'bo', age: 40 }), 'name'.length + 2 + 'age'.length + 2);
  assert.equal(replySize(null), 0);
});

test('a reply longer than the walk is measured by what was walked, not cut short', () => {
  // a KEYS reply of 300,000 keys of 20 bytes: the walk stops at its budget, the size is still about 6 MB
  const keys = Array.from({ length: 300_000 }, (_, i) => `session:${String(i).padStart(12, '0')}`);
  assert.equal(replySize(keys), 300_000 * 20);
});
