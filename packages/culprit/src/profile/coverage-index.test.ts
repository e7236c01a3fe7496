import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CoverageIndex } from './coverage-index.js';

const source = 'export class Plain {\n  value = 1;\n}\nfunction f() {\n  return 1;\n}\n';
const fieldAt = source.indexOf('value');
const fnAt = source.indexOf('function f');

/** One take as Node 24 reports it: the field initializer's range starts at the first field. */
const index = new CoverageIndex([
  [
    {
      scriptId: '1',
      url: 'file:///app/plain.mjs',
      functions: [
        { functionName: '', isBlockCoverage: false, ranges: [{ startOffset: 0, endOffset: source.length, count: 1 }] },
        {
          functionName: '<instance_members_initializer>',
          isBlockCoverage: false,
          ranges: [{ startOffset: fieldAt, endOffset: fieldAt + 10, count: 500 }],
        },
        {
          functionName: 'f',
          isBlockCoverage: false,
          ranges: [{ startOffset: fnAt, endOffset: source.length - 1, count: 3 }],
        },
      ],
    },
  ],
]);

test('a sampled frame joins its function range when the frame sits at the function header', () => {
  assert.equal(index.rangeAt('1', fnAt, source)?.count, 3);
  assert.equal(index.rangeAt('1', fieldAt, source)?.count, 500);
});

test('a class frame at `class Name {` or its `{` joins the initializer range that starts at the first field (Node 24)', () => {
  assert.equal(index.rangeAt('1', source.indexOf('class Plain'), source)?.count, 500);
  assert.equal(index.rangeAt('1', source.indexOf('{'), source)?.count, 500);
});

test('a frame inside a body is not taken for the enclosing function', () => {
  assert.equal(index.rangeAt('1', source.indexOf('return 1'), source), null);
});
