import assert from 'node:assert/strict';
import { test } from 'node:test';
import { warmRuns } from './warm-runs.js';

const runs = (...wallMs: number[]) => wallMs.map((ms, id) => ({ id, wallMs: ms }));

test('a first run several times longer than the others is cold: it is left out', () => {
  assert.deepEqual(
    warmRuns(runs(61, 13)).map((run) => run.id),
    [1],
  );
  assert.deepEqual(
    warmRuns(runs(300, 110, 90)).map((run) => run.id),
    [1, 2],
  );
});

test('a first run in line with the others, a slow later run, or a single run: every run is kept', () => {
  assert.equal(warmRuns(runs(30, 13)).length, 2);
  assert.equal(warmRuns(runs(13, 61, 14)).length, 3);
  assert.equal(warmRuns(runs(61)).length, 1);
  assert.equal(warmRuns([]).length, 0);
});
