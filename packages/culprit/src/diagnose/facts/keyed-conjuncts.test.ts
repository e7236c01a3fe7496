import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyedConjuncts } from './keyed-conjuncts.js';
import { containmentColumns, filterColumns } from './pg-seq-scans.js';

test('an OR of alternatives ANDed with a plain comparison is no index key: the comparison is', () => {
  // a row-level access check beside the lookup by parent, as a PostgreSQL plan prints it
  const acl = "Filter: (((acl IS NULL) OR (acl && '{*,user:7}'::text[])) AND (project_id = 'p1'::text))";
  const keyed = keyedConjuncts(acl);
  assert.deepEqual(filterColumns(keyed), ['project_id']);
  assert.deepEqual(containmentColumns(keyed), []);
  // a soft delete's alternatives, two plain comparisons beside them
  const live = "Filter: ((owner_id = 42) AND ((deleted_at IS NULL) OR (deleted_at > now())) AND (kind = 'a'::text))";
  assert.deepEqual(filterColumns(keyedConjuncts(live)), ['owner_id', 'kind']);
  // a range is one comparison
  assert.deepEqual(filterColumns(keyedConjuncts('Filter: ((n BETWEEN 1 AND 5) AND ((a = 1) OR (b = 2)))')), ['n']);
});

test('a filter that is only an OR, or has no OR, keeps all its columns', () => {
  const only = "Filter: ((tags && '{a}'::text[]) OR (owner_id = 3))";
  assert.deepEqual(containmentColumns(keyedConjuncts(only)), ['tags']);
  assert.deepEqual(filterColumns(keyedConjuncts('Filter: ((a = 1) AND (b = 2))')), ['a', 'b']);
  // an OR inside a literal is text
  assert.deepEqual(filterColumns(keyedConjuncts("Filter: ((title = 'x OR y') AND (a = 1))")), ['title', 'a']);
});
