import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldPath } from './fold-path.js';

test('numeric, uuid, hex and token segments fold; words and the query go', () => {
  assert.equal(foldPath('/api/ephemera/13373/?img=2&expand=~all'), '/api/ephemera/:id/');
  assert.equal(foldPath('/users/2f1c3a9e-8b7d-4c6e-9a1b-0123456789ab/posts/7'), '/users/:uuid/posts/:id');
  assert.equal(foldPath('/objects/507f1f77bcf86cd799439011'), '/objects/:hash');
  assert.equal(foldPath('/reset/Zk3q9XbV2mPq8RtY4w'), '/reset/:token');
  assert.equal(foldPath('/tags/postcards-2024'), '/tags/postcards-2024');
  assert.equal(foldPath('/'), '/');
  assert.equal(foldPath('?x=1'), '/');
});
