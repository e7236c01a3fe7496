import assert from 'node:assert/strict';
import { test } from 'node:test';
import { looksCold, PASS_WALL_MS, passSpent, spentReason, TIMING_BUDGET, TRACE_BUDGET } from './pass-budget.js';

test('without a budget a pass sends its count', () => {
  assert.equal(passSpent(undefined, [5_000, 5_000]), false);
});

test('a pass stops before a send that would take it past the budget, never before its minimum', () => {
  const budget = { minSends: 2, wallMs: 1_000 };
  assert.equal(passSpent(budget, []), false);
  assert.equal(passSpent(budget, [3_000]), false, 'one sent, two at least');
  assert.equal(passSpent(budget, [3_000, 10]), true);
  assert.equal(passSpent(budget, [300, 300]), false, 'a third would end at 900 ms');
  assert.equal(passSpent(budget, [300, 300, 300]), true, 'a fourth would end at 1.2 s');
  assert.equal(passSpent(budget, [900, 50]), false, 'the last send predicts the next');
});

test('the trace and timing passes may stop after one long run', () => {
  assert.equal(passSpent(TRACE_BUDGET, [PASS_WALL_MS]), true);
  assert.equal(passSpent(TIMING_BUDGET, [550]), true, "the story's request at 100k rows: a second would end at 1.1 s");
  assert.equal(passSpent(TIMING_BUDGET, [450]), false);
  // a request under a third of the budget is sent three times, as -n 3 did
  assert.equal(passSpent(TIMING_BUDGET, [PASS_WALL_MS / 3 - 1, PASS_WALL_MS / 3 - 1]), false);
});

test('a traced run is cold when far slower than the timed one, not when counting slowed it', () => {
  assert.equal(looksCold(2_620, 1_870), false, "the story's first traced run at 100k rows");
  assert.equal(looksCold(1_550, 1_000), false, 'count mode at +55%');
  assert.equal(
    looksCold(1_563, 780),
    false,
    "the story's first traced run at 100k rows, count mode and its compilation",
  );
  assert.equal(looksCold(2_000, 50), true, 'a route compiled on first hit');
});

test('the reason names the seconds spent and how to send all', () => {
  assert.equal(spentReason([1_500, 600]), 'stopped at 2.1 s of requests: a pass spends about 1 s unless -n is given');
});
