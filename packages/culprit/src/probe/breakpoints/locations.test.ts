import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packageOf, snippetAround } from './locations.js';

test('packageOf names the innermost package, scoped or not', () => {
  assert.equal(packageOf('/app/node_modules/typeorm/query-builder/x.js'), 'typeorm');
  assert.equal(packageOf('/app/node_modules/a/node_modules/@hono/node-server/dist/x.js'), '@hono/node-server');
  assert.equal(packageOf('/app/src/views.ts'), undefined);
});

test('snippetAround keeps two lines each side', () => {
  assert.deepEqual(snippetAround('a\nb\nc\nd\ne\nf', 4), { startLine: 2, lines: ['b', 'c', 'd', 'e', 'f'] });
  assert.deepEqual(snippetAround('a\nb', 1), { startLine: 1, lines: ['a', 'b'] });
});
