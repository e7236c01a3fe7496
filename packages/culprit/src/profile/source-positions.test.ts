import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineStarts, offsetAt, positionAt } from './source-positions.js';

test('lineStarts: a line starts after \\n, \\r\\n and a lone \\r, as V8 counts lines', () => {
  const cases: Array<[string, number[]]> = [
    ['', [0]],
    ['one line', [0]],
    ['a\nbc\n', [0, 2, 5]],
    ['a\r\nbc\r\n', [0, 3, 7]],
    ['a\rb\nc', [0, 2, 4]],
    ['\n\n', [0, 1, 2]],
    ['a\r\n\rb', [0, 3, 4]],
  ];
  for (const [source, starts] of cases) assert.deepEqual(lineStarts(source), starts, JSON.stringify(source));
});

test('positionAt and offsetAt are inverse over every offset of a source', () => {
  const source = 'const a = 1;\r\n\tfunction f() {\n  return a;\r}\n';
  const starts = lineStarts(source);
  for (let offset = 0; offset < source.length; offset++) {
    const { line, column } = positionAt(starts, offset);
    assert.equal(offsetAt(starts, line, column), offset);
  }
  assert.deepEqual(positionAt(starts, source.indexOf('return')), { line: 2, column: 2 });
  assert.equal(offsetAt(starts, -1, -1), 0);
});
