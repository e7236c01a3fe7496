import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Measured } from '../check-budget.js';
import { assertQuerySnapshot } from './assert-snapshot.js';
import { parseSnapshotFile, rowsBucket, snapshotLines } from './format.js';
import { lineDiff } from './line-diff.js';
import { matchQuerySnapshot, UPDATE_ENV } from './snapshot-file.js';

const dir = mkdtempSync(join(tmpdir(), 'culprit-snapshot-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const at = (line: number) => ({ file: join(dir, 'src/api/books.ts'), line, column: 3 });
function check(m: Measured, testFile: string, name: string) {
  return matchQuerySnapshot(m, { testFile, name });
}

function measured(authors: number, rows = 40): Measured {
  return {
    wallMs: 1,
    queries: [
      ...Array.from({ length: authors }, () => ({
        driver: 'pg',
        sql: 'SELECT * FROM author WHERE id = ?',
        durationMs: 1,
        rows: 1,
        location: at(12),
      })),
      { driver: 'pg', sql: 'SELECT * FROM book', durationMs: 1, rows, location: at(9) },
    ],
    constructions: [],
  };
}

test('rows are bucketed by order of magnitude, lines sorted by place', () => {
  assert.deepEqual([0, 1, 2, 9, 10, 99, 100, 999, 1000, 1e6].map(rowsBucket), [
    '0',
    '1',
    '2-9',
    '2-9',
    '10-99',
    '10-99',
    '100-999',
    '100-999',
    '1000+',
    '1000+',
  ]);
  assert.deepEqual(snapshotLines(measured(3), dir), [
    'src/api/books.ts:9  1×  rows 10-99  SELECT * FROM book',
    'src/api/books.ts:12  3×  rows 1  SELECT * FROM author WHERE id = ?',
  ]);
  assert.deepEqual(
    snapshotLines(measured(3, 41), dir),
    snapshotLines(measured(3, 40), dir),
    'a row more does not churn',
  );
});

test('the line diff marks recorded and new lines', () => {
  assert.deepEqual(lineDiff(['a', 'b', 'c'], ['a', 'x', 'c', 'd']), ['  a', '- b', '+ x', '  c', '+ d']);
  assert.deepEqual(lineDiff([], ['a']), ['+ a']);
});

test('a new snapshot is written, an equal one passes, a change fails with a diff, the env var rewrites', () => {
  const testFile = join(dir, 'books.test.ts');
  const saved = { update: process.env[UPDATE_ENV], ci: process.env.CI };
  delete process.env[UPDATE_ENV];
  delete process.env.CI;
  try {
    assert.equal(check(measured(1), testFile, 'GET /books').pass, true);
    const text = readFileSync(`${testFile}.queries`, 'utf8');
    assert.match(text, /^# culprit query snapshots/);
    assert.deepEqual([...parseSnapshotFile(text).keys()], ['GET /books']);
    assert.equal(check(measured(1), testFile, 'GET /books').pass, true);

    const changed = check(measured(5), testFile, 'GET /books');
    assert.equal(changed.pass, false);
    assert.match(changed.message, /queries of 'GET \/books' changed from the snapshot in .*books\.test\.ts\.queries/);
    assert.match(
      changed.message,
      /\n- src\/api\/books\.ts:12 {2}1× {2}rows 1 {2}SELECT \* FROM author WHERE id = \?\n\+ src\/api\/books\.ts:12 {2}5× /,
    );
    assert.match(changed.message, /CULPRIT_UPDATE_SNAPSHOTS=1/);

    process.env[UPDATE_ENV] = '1';
    assert.equal(check(measured(5), testFile, 'GET /books').pass, true);
    delete process.env[UPDATE_ENV];
    assert.equal(check(measured(5), testFile, 'GET /books').pass, true);

    process.env.CI = 'true';
    const missing = check(measured(5), testFile, 'never recorded');
    assert.equal(missing.pass, false);
    assert.match(missing.message, /no query snapshot 'never recorded' .*on CI missing snapshots fail/);
  } finally {
    for (const [key, value] of [
      [UPDATE_ENV, saved.update],
      ['CI', saved.ci],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
});

test('assertQuerySnapshot finds the test file from the stack and takes node:test contexts as names', () => {
  const here = new URL(import.meta.url).pathname;
  const file = `${here}.queries`;
  rmSync(file, { force: true });
  // Recording is what this test checks; where CI is set (CI machines), missing snapshots fail instead.
  const savedCi = process.env.CI;
  delete process.env.CI;
  try {
    assertQuerySnapshot(measured(2), { name: 'short name', fullName: 'suite > full name' });
    assertQuerySnapshot(measured(3), 'second');
    assert.deepEqual([...parseSnapshotFile(readFileSync(file, 'utf8')).keys()], ['suite > full name', 'second']);
    writeFileSync(file, readFileSync(file, 'utf8').replace('2×', '7×'));
    assert.throws(
      () => assertQuerySnapshot(measured(2), 'suite > full name', { testFile: here }),
      /- [^\n]*7×[^\n]*\n\+ [^\n]*2×/,
    );
  } finally {
    rmSync(file, { force: true });
    if (savedCi === undefined) delete process.env.CI;
    else process.env.CI = savedCi;
  }
});
