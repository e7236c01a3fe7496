// Exact constructions per class from count-mode coverage, in this very process.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { constructionsIn, startCounting, stopCounting, takeCoverage } from './constructions.js';
import { countItems, countJsonItems } from './json-items.js';
import { QueryFolds } from './query-fold.js';

class Ephemeron {
  constructor(readonly id: number) {}
}
class Tag {
  label = 'postcard';
}
class Special extends Ephemeron {}
const Anonymous = class {
  field = 1;
};
// V8 starts this initializer past the static field and the method on Node 24
class Postmark {
  static readonly format = 'YYYY-MM-DD';
  describe(): string {
    return `{${this.date}}`;
  }
  date = '1911-05-04';
}

test('counts every class per window, whatever its shape', () => {
  startCounting();
  try {
    takeCoverage(); // open the window
    for (let i = 0; i < 23_159; i++) new Ephemeron(i);
    for (let i = 0; i < 7; i++) new Tag();
    for (let i = 0; i < 3; i++) new Special(i);
    new Anonymous();
    for (let i = 0; i < 2; i++) new Postmark();
    for (let i = 0; i < 4; i++) new QueryFolds(); // the probe's own, as it records each query
    const counts = new Map(constructionsIn(takeCoverage()).map((c) => [c.className, c]));
    assert.equal(counts.get('Ephemeron')?.count, 23_159 + 3, 'a parent constructor also runs for its subclasses');
    assert.equal(counts.get('Tag')?.count, 7, 'a class with only fields counts through its initializer');
    assert.equal(counts.get('Anonymous')?.count, 1, 'a class expression takes its binding name');
    assert.equal(counts.get('Postmark')?.count, 2, 'fields after static members and methods');
    assert.equal(counts.has('(anonymous class)'), false, 'every class here has a name');
    assert.equal(counts.has('QueryFolds'), false, "culprit's own objects are no construction of the app");
    assert.equal(counts.get('Tag')?.location?.line, 11, 'a class with fields is placed at `class Name`');
    assert.match(counts.get('Ephemeron')?.location?.file ?? '', /constructions\.test\.ts$/);
    const line = counts.get('Ephemeron')?.location?.line ?? 0;
    assert.ok(line === 8 || line === 9, `the class or its constructor (tsx maps either), got ${line}`);
    for (let i = 0; i < 5; i++) new Ephemeron(i);
    const next = new Map(constructionsIn(takeCoverage()).map((c) => [c.className, c.count]));
    assert.equal(next.get('Ephemeron'), 5, 'each take is a delta');
    assert.equal(next.has('Tag'), false, 'a class not built in the window is absent');
  } finally {
    stopCounting();
  }
});

test('JSON items: the largest list near the top, with its key; a lone entity is 1; not JSON undefined', () => {
  assert.deepEqual(countItems([1, 2, 3]), { items: 3 });
  assert.deepEqual(countItems({ count: 9, results: [1, 2] }), { items: 2, path: 'results' });
  assert.deepEqual(countItems({ id: 1 }), { items: 1 });
  assert.deepEqual(countJsonItems('{"data":[1,2,3,4]}'), { items: 4, path: 'data' });
  assert.equal(countJsonItems('<html>'), undefined);
  // RealWorld's shape: whatever the key, beside a count
  const articles = Array.from({ length: 100 }, (_, id) => ({ id, tagList: ['a', 'b'] }));
  assert.deepEqual(countItems({ articles, articlesCount: 100 }), { items: 100, path: 'articles' });
  // an envelope two levels deep, the largest list wins
  assert.deepEqual(countItems({ meta: { tags: [1, 2] }, data: { rows: [1, 2, 3, 4, 5], total: 5 } }), {
    items: 5,
    path: 'data.rows',
  });
  // a record with its child lists is one item, also when wrapped
  assert.deepEqual(countItems({ slug: 'x', comments: [1, 2, 3] }), { items: 1 });
  assert.deepEqual(countItems({ post: { id: 7, comments: [1, 2, 3] } }), { items: 1 });
  // a GraphQL schema grouped by namespace: the response's `data` envelope, then the namespace, then the list
  const tags = Array.from({ length: 200 }, (_, i) => ({ id: i, tag: `t${i}` }));
  assert.deepEqual(countItems({ data: { pages: { tags } } }), { items: 200, path: 'data.pages.tags' });
  assert.deepEqual(countItems({ data: { pages: { single: { id: 7, tags } } } }), { items: 1 });
  // other envelopes keep their two levels
  assert.deepEqual(countItems({ data: { pages: { tags } }, meta: {} }), { items: 1 });
  assert.deepEqual(countItems({ articles: [], articlesCount: 0 }), { items: 0, path: 'articles' });
});
