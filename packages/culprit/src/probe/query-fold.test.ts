import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type FoldFrame, MAX_FOLDS, OTHER_SHAPES_SQL, QUERY_DETAIL_LIMIT, QueryFolds } from './query-fold.js';
import { FrameMapper, toFoldedQueries } from './query-records.js';
import { type RequestScope, recordQuery, setQueriesWanted } from './request-context.js';

const line12: FoldFrame = { url: '/app/src/items.js', line: 11, column: 4, functionName: 'load' };
const line20: FoldFrame = { url: '/app/src/items.js', line: 19, column: 2 };

test('folds count and sum per shape and issuing position; literals do not split a shape', () => {
  const folds = new QueryFolds();
  let stackReads = 0;
  const stack = () => {
    stackReads += 1;
    return [line12];
  };
  for (let i = 0; i < 1000; i++) {
    folds.add({ driver: 'mysql2', sql: `SELECT * FROM item WHERE id = ${i}`, durationMs: 0.5, rows: 1 }, line12, stack);
  }
  folds.add(
    { driver: 'mysql2', sql: 'SELECT * FROM item WHERE id = 7', durationMs: 2, rows: null, error: 'boom' },
    line20,
    stack,
  );
  assert.equal(folds.size, 2, 'one shape from two lines');
  const [first, second] = [...folds.values()];
  assert.equal(first?.sql, 'SELECT * FROM item WHERE id = ?');
  assert.equal(first?.count, 1000);
  assert.equal(first?.rows, 1000);
  assert.equal(first?.durationMs, 500);
  assert.equal(first?.errors, 0);
  assert.deepEqual(first?.frame, line12);
  assert.equal(second?.errors, 1);
  assert.equal(second?.rows, 0, 'null rows count 0');
  assert.equal(stackReads, 2, 'a stack is read once per fold, not per query');
});

test('past MAX_FOLDS distinct shapes, further shapes share one overflow fold per driver', () => {
  const folds = new QueryFolds();
  for (let i = 0; i < MAX_FOLDS + 50; i++) {
    folds.add({ driver: 'pg', sql: `SELECT c${i} FROM t`, durationMs: 1, rows: 1 }, line12, undefined);
  }
  assert.equal(folds.size, MAX_FOLDS + 1);
  const other = [...folds.values()].find((fold) => fold.sql === OTHER_SHAPES_SQL);
  assert.equal(other?.count, 50);
  assert.equal(other?.frame, undefined);
});

test('the scope keeps QUERY_DETAIL_LIMIT queries one by one and folds the rest at once', () => {
  setQueriesWanted(true);
  try {
    const scope: RequestScope = { requestId: 1, queries: [], closed: false };
    const total = QUERY_DETAIL_LIMIT + 5000;
    for (let i = 0; i < total; i++) {
      recordQuery({ driver: 'pg', sql: 'SELECT $1', durationMs: 1, rows: 2, stack: [line12], scope });
    }
    assert.equal(scope.queries.length, QUERY_DETAIL_LIMIT);
    const folds = [...(scope.folds?.values() ?? [])];
    assert.equal(folds.length, 1);
    assert.equal(folds[0]?.count, 5000);
    assert.equal(folds[0]?.sql, 'SELECT ?');
  } finally {
    setQueriesWanted(false);
  }
});

test('folds of one original line merge when mapped; stacks only when asked', () => {
  const folds = new QueryFolds();
  const sameLineOtherColumn: FoldFrame = { ...line12, column: 30 };
  folds.add({ driver: 'pg', sql: 'SELECT 1', durationMs: 1, rows: 1 }, line12, () => [line12, line20]);
  folds.add({ driver: 'pg', sql: 'SELECT 1', durationMs: 2, rows: 1 }, sameLineOtherColumn, () => [
    sameLineOtherColumn,
  ]);
  assert.equal(folds.size, 2, 'kept apart by generated position while running');
  const frames = new FrameMapper();
  const withoutStacks = toFoldedQueries(folds.values(), false, frames);
  assert.equal(withoutStacks.length, 1);
  assert.deepEqual(
    { ...withoutStacks[0], location: undefined },
    { driver: 'pg', sql: 'SELECT ?', count: 2, rows: 2, durationMs: 3, errors: 0, location: undefined },
  );
  assert.equal(withoutStacks[0]?.location?.file, '/app/src/items.js');
  assert.equal(withoutStacks[0]?.location?.line, 12);
  const withStacks = toFoldedQueries(folds.values(), true, frames);
  assert.deepEqual(
    withStacks[0]?.stack?.map((frame) => frame.line),
    [12, 20],
  );
  assert.equal(withStacks[0]?.location, withStacks[0]?.stack?.[0], 'one object per distinct frame');
});

test('folded queries sum the bytes their rows read and keep the wide columns the first sample named', () => {
  const folds = new QueryFolds();
  const body = { name: 'body', bytes: 50_000 };
  for (let i = 0; i < 300; i++) {
    folds.add(
      {
        driver: 'pg',
        sql: `SELECT * FROM doc WHERE id = ${i}`,
        durationMs: 1,
        rows: 1,
        read: i % 2 ? { bytes: 100 } : { bytes: 50_100, wide: [body], narrow: ['id', 'title'] },
      },
      line12,
      undefined,
    );
  }
  folds.add({ driver: 'pg', sql: 'SELECT * FROM doc WHERE id = 1', durationMs: 1, rows: 0 }, line20, undefined);
  const [fold, empty] = [...folds.values()];
  assert.deepEqual(fold?.read, { bytes: 150 * 50_100 + 150 * 100, wide: [body], narrow: ['id', 'title'] });
  assert.equal(empty?.read, undefined, 'no rows, no estimate');
  const mapped = toFoldedQueries([...folds.values(), ...folds.values()], false, new FrameMapper());
  assert.equal(mapped[0]?.read?.bytes, 2 * (150 * 50_100 + 150 * 100), 'merged per original line');
  assert.equal(fold?.read?.bytes, 150 * 50_100 + 150 * 100, 'merging leaves the probe-side fold as it was');
});
