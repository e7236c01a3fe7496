import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Measured } from '../check-budget.js';
import { describeScaling, type SizedRun, scalingBreaches, within } from './growth.js';

test('O(1) holds only for the same figure at every size; O(n) for at most proportional growth', () => {
  const cases: Array<[Parameters<typeof within>[0], number[], number[], boolean]> = [
    ['O(1)', [5, 50], [7, 7], true],
    ['O(1)', [5, 50], [7, 8], false],
    ['O(1)', [5, 50, 500], [7, 7, 6], true],
    ['O(n)', [5, 50], [7, 52], true], // 2 + n
    ['O(n)', [5, 50], [0, 50], false], // nothing at 5, 50 at 50: more than proportional from "one"
    ['O(n)', [5, 50], [25, 2500], false], // n²
    ['O(n)', [10, 20, 40], [1010, 1040, 1160], false], // 1000 + n²/10: the cost per item grows
    ['O(n)', [10, 20, 40], [30, 50, 90], true], // 10 + 2n
    ['O(n)', [30, 60, 120], [20, 20, 20], true], // a page of 20
  ];
  for (const [growth, ns, values, expected] of cases) {
    assert.equal(within(growth, ns, values), expected, `${growth} ${ns} ${values}`);
  }
});

const place = (line: number) => ({ file: '/app/src/feed.ts', line, column: 5 });
const sized = (n: number): SizedRun => {
  const measured: Measured = {
    wallMs: 1,
    queries: [
      { driver: 'pg', sql: 'SELECT * FROM feed', durationMs: 1, rows: n, location: place(10) },
      ...Array.from({ length: n }, () => ({
        driver: 'pg',
        sql: 'SELECT * FROM author WHERE id = ?',
        durationMs: 1,
        rows: 1,
        location: place(14),
      })),
    ],
    constructions: [{ className: 'Author', count: n, location: place(3) }],
  };
  return { n, measured };
};

test('a breach names the figure at each size and the line that grew most', () => {
  const runs = [sized(5), sized(50)];
  const breaches = scalingBreaches(runs, { rows: 'O(n)' });
  assert.deepEqual(
    breaches.map((b) => [b.field, b.values]),
    [
      ['queries', [6, 51]],
      ['constructions', [5, 50]],
    ],
  );
  assert.equal(breaches[0]?.grewMost?.location?.line, 14);
  assert.deepEqual(breaches[0]?.grewMost?.values, [5, 50]);
  const message = describeScaling('GET /feed', runs, breaches);
  assert.match(message, /GET \/feed does not scale with the data:/);
  assert.match(message, /queries grow with n \(allowed O\(1\)\): n=5: 6, n=50: 51/);
  assert.match(message, /grew most at \/app\/src\/feed\.ts:14: 5 → 50\n {6}SELECT \* FROM author WHERE id = \?/);
  assert.match(
    message,
    /constructions grow with n .*\n {4}grew most at \/app\/src\/feed\.ts:3: 5 → 50\n {6}new Author/,
  );
  assert.deepEqual(scalingBreaches(runs, { queries: 'O(n)', rows: 'O(n)', constructions: 'O(n)' }), []);
});
