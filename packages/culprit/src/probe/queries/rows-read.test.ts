import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resultSetsRead, rowsRead, valueBytes, WIDE_COLUMN_BYTES } from './rows-read.js';

test('value sizes: strings by length, binary by bytes, other values a few bytes, null nothing', () => {
  assert.equal(valueBytes('abc'), 3);
  assert.equal(valueBytes(Buffer.alloc(2048)), 2048);
  assert.equal(valueBytes(new Uint8Array(10)), 10);
  assert.equal(valueBytes(new ArrayBuffer(7)), 7);
  assert.equal(valueBytes(42), 8);
  assert.equal(valueBytes(new Date()), 8);
  assert.equal(
    valueBytes({ nested: 'x'.repeat(5000) }),
    5000 + 2 + 'nested'.length + 4,
    'a parsed JSON object by its text',
  );
  // a relation aggregated into one column (json_agg): 800 memberships of ~60 bytes each, weighed on 16 of them
  const memberships = Array.from({ length: 800 }, (_, i) => ({
    userId: i,
    role: 'member',
    joinedAt: '2024-05-01T10:00:00Z',
  }));
  const estimated = valueBytes(memberships);
  const exact = JSON.stringify(memberships).length;
  assert.ok(estimated > exact * 0.7 && estimated < exact * 1.5, `${estimated} against ${exact} as JSON text`);
  assert.equal(valueBytes(new Map([[1, 'x'.repeat(5000)]])), 8, 'class instances are not walked');
  const huge = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, { v: 'x' }]));
  assert.ok(valueBytes(huge) > 0, 'a wide object is weighed on a bounded walk');
  assert.equal(valueBytes(null), 0);
});

test('a row of an object: bytes × rows, wide columns widest first, the others named', () => {
  const row = { id: 1, title: 'hello', html: 'h'.repeat(3000), body: 'b'.repeat(9000) };
  assert.deepEqual(rowsRead(row, 300), {
    bytes: 300 * (8 + 5 + 3000 + 9000),
    wide: [
      { name: 'body', bytes: 9000 },
      { name: 'html', bytes: 3000 },
    ],
    narrow: ['id', 'title'],
  });
  assert.deepEqual(rowsRead({ id: 1, note: 'n'.repeat(WIDE_COLUMN_BYTES - 1) }, 2), {
    bytes: 2 * (8 + WIDE_COLUMN_BYTES - 1),
  });
  assert.equal(rowsRead(undefined, 1), undefined);
  assert.equal(rowsRead({ id: 1 }, 0), undefined);
  assert.equal(rowsRead({ id: 1 }, null), undefined);
});

test('array rows are named by the driver, else by position', () => {
  const row = [1, 'x'.repeat(2000)];
  assert.deepEqual(rowsRead(row, 3, (i) => ['id', 'body'][i])?.wide, [{ name: 'body', bytes: 2000 }]);
  assert.deepEqual(rowsRead(row, 3)?.wide, [{ name: 'column 2', bytes: 2000 }]);
  assert.deepEqual(rowsRead(row, 3)?.narrow, ['column 1']);
});

test('MySQL-family results: rows, a write header, several statements, rows as arrays', () => {
  const doc = { id: 1, body: 'b'.repeat(1500) };
  assert.equal(resultSetsRead([doc, doc])?.bytes, 2 * 1508);
  assert.equal(resultSetsRead({ affectedRows: 3 }), undefined);
  assert.equal(resultSetsRead([]), undefined);
  const several = resultSetsRead([{ affectedRows: 1 }, [doc, doc, doc], [{ id: 2 }]]);
  assert.equal(several?.bytes, 3 * 1508 + 8);
  assert.deepEqual(several?.wide, [{ name: 'body', bytes: 1500 }]);
  assert.equal(
    resultSetsRead([
      [1, 'ab'],
      [2, 'cd'],
    ])?.bytes,
    2 * 10,
    'rowsAsArray rows are one result set',
  );
});
