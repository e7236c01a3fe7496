import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countItems } from './json-items.js';

test('JSON items: an object keyed by ids is a collection, of its lists’ items or of its records', () => {
  // a dashboard's latest readings grouped by sensor id, 40 sensors × 25 readings, beside a map of averages
  const readings = Object.fromEntries(
    Array.from({ length: 40 }, (_, sensor) => [
      String(sensor + 1),
      Array.from({ length: 25 }, (_, i) => ({ at: i, value: 1 })),
    ]),
  );
  const averages = Object.fromEntries(Array.from({ length: 40 }, (_, sensor) => [`${sensor + 1}_24`, 0.99]));
  assert.deepEqual(countItems({ readings, averages }), { items: 1000, path: 'readings' });
  // records by their id, at the top or under a key; UUIDs are ids too
  const byId = { '7': { name: 'a' }, '9': { name: 'b' }, '12': { name: 'c' } };
  assert.deepEqual(countItems(byId), { items: 3 });
  assert.deepEqual(countItems({ users: byId }), { items: 3, path: 'users' });
  const uuid = '0b6f1c9e-4f7a-4c1e-9a59-1d2f3e4a5b6c';
  assert.deepEqual(countItems({ [uuid]: { n: 1 }, [uuid.replace('0b', '1c')]: { n: 2 } }), { items: 2 });
  // one id, or years as keys of counts, are no collection
  assert.deepEqual(countItems({ '200': { n: 1 } }), { items: 1 });
  assert.deepEqual(countItems({ stats: { '2024': 5, '2025': 7 } }), { items: 1 });
});
