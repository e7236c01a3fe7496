// Exact constructions per class from count-mode coverage, in this very process.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { constructionsIn, startCounting, stopCounting, takeCoverage } from './constructions.js';
import { countItems, countJsonItems } from './json-items.js';

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

test('counts every class per window, whatever its shape', () => {
  startCounting();
  try {
    takeCoverage(); // open the window
    for (let i = 0; i < 23_159; i++) new Ephemeron(i);
    for (let i = 0; i < 7; i++) new Tag();
    for (let i = 0; i < 3; i++) new Special(i);
    new Anonymous();
    const counts = new Map(constructionsIn(takeCoverage()).map((c) => [c.className, c]));
    assert.equal(counts.get('Ephemeron')?.count, 23_159 + 3, 'a parent constructor also runs for its subclasses');
    assert.equal(counts.get('Tag')?.count, 7, 'a class with only fields counts through its initializer');
    assert.equal(counts.get('Anonymous')?.count, 1, 'a class expression takes its binding name');
    assert.match(counts.get('Ephemeron')?.location?.file ?? '', /constructions\.test\.ts$/);
    const line = counts.get('Ephemeron')?.location?.line ?? 0;
    assert.ok(line === 7 || line === 8, `the class or its constructor (tsx maps either), got ${line}`);
    for (let i = 0; i < 5; i++) new Ephemeron(i);
    const next = new Map(constructionsIn(takeCoverage()).map((c) => [c.className, c.count]));
    assert.equal(next.get('Ephemeron'), 5, 'each take is a delta');
    assert.equal(next.has('Tag'), false, 'a class not built in the window is absent');
  } finally {
    stopCounting();
  }
});

test('JSON items: array length, paginated results, object 1, not JSON undefined', () => {
  assert.equal(countItems([1, 2, 3]), 3);
  assert.equal(countItems({ count: 9, results: [1, 2] }), 2);
  assert.equal(countItems({ id: 1 }), 1);
  assert.equal(countJsonItems('{"data":[1,2,3,4]}'), 4);
  assert.equal(countJsonItems('<html>'), undefined);
});
