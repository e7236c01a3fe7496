import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accumulatorCopy, accumulatorCopyAdvice, accumulatorCopyReason } from './accumulator-copy.js';

const copies: Array<{ name: string; source: string[]; line: number; expected: string }> = [
  {
    name: 'a reduce into a new array each call, on one line',
    source: ['const ids = orders.reduce((acc, order) => [...acc, order.id], []);'],
    line: 1,
    expected: 'array acc 1',
  },
  {
    name: 'a keyed object rebuilt each call, over several lines',
    source: [
      'const byId = users.reduce(',
      '  (index, user) => ({',
      '    ...index,',
      '    [user.id]: user,',
      '  }),',
      '  {},',
      ');',
    ],
    line: 2,
    expected: 'object index 3',
  },
  {
    name: 'concat in a function expression',
    source: ['rows.reduce(function (all, row) {', '  return all.concat(expand(row));', '}, []);'],
    line: 1,
    expected: 'array all 2',
  },
  {
    name: 'Object.assign onto a fresh object',
    source: ['entries.reduce((memo, [k, v]) => Object.assign({}, memo, { [k]: v }), {});'],
    line: 1,
    expected: 'object memo 1',
  },
];

for (const { name, source, line, expected } of copies) {
  test(`copies its accumulator: ${name}`, () => {
    const copy = accumulatorCopy(source, line);
    assert.equal(copy && `${copy.kind} ${copy.variable} ${copy.line}`, expected);
  });
}

const clean: Array<{ name: string; source: string[]; line: number }> = [
  {
    name: 'push onto the accumulator',
    source: ['rows.reduce((acc, row) => { acc.push(row.id); return acc; }, []);'],
    line: 1,
  },
  {
    name: 'spreading the item, not the accumulator',
    source: ['rows.reduce((acc, row) => acc + sum([...row.parts, 1]), 0);'],
    line: 1,
  },
  {
    name: 'a map that spreads each item',
    source: ['const out = rows.map((row) => ({ ...row, total: row.a + row.b }));'],
    line: 1,
  },
  {
    name: 'a one-parameter function',
    source: ['function total(items) {', '  return [...items].sort();', '}'],
    line: 1,
  },
];

for (const { name, source, line } of clean) {
  test(`copies nothing: ${name}`, () => {
    assert.equal(accumulatorCopy(source, line), undefined);
  });
}

test('the words count the copies and say how to gather without them', () => {
  const copy = { variable: 'acc', kind: 'array' as const, line: 10 };
  assert.equal(
    accumulatorCopyReason(copy, 18_000),
    'each call copies the acc gathered so far ([...acc, …]), so 18,000 calls copy about 162 million elements',
  );
  assert.match(
    accumulatorCopyAdvice(copy, 'format.js:10'),
    /^Add to one array instead of copying it on every call at format\.js:10 \(acc\.push\(x\); return acc/,
  );
});
