import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  looksCold,
  ONE_TRACED_BUDGET,
  PASS_WALL_MS,
  passSpent,
  passSteady,
  spentReason,
  steadyAfterWarmup,
  steadyAfterWarmupReason,
  TIMING_BUDGET,
  TRACE_BUDGET,
} from './pass-budget.js';

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
  // a request under a third of the budget is sent three times, as -n 3 did, unless two runs agree
  assert.equal(passSpent(TIMING_BUDGET, [PASS_WALL_MS / 3 - 1, PASS_WALL_MS / 5]), false);
});

test('a pass of short requests stops after two runs that agree, not after a cold first one', () => {
  assert.equal(passSpent(TIMING_BUDGET, [100]), false, 'one run agrees with nothing');
  assert.equal(passSpent(TIMING_BUDGET, [100, 118]), true, 'within 20% of the longer');
  assert.equal(passSpent(TIMING_BUDGET, [118, 100]), true);
  assert.equal(passSpent(TIMING_BUDGET, [298, 168]), false, 'a cold first run and a warm one');
  assert.equal(passSpent(TIMING_BUDGET, [298, 168, 150]), true, 'the two after it agree');
  assert.equal(passSteady({ minSends: 1, wallMs: PASS_WALL_MS }, [100, 100], true), false, 'a budget without the rule');
  assert.equal(passSteady(undefined, [100, 100], true), false);
});

test('the trace pass stops after two runs that did the same work, whatever their times', () => {
  assert.equal(passSpent(TRACE_BUDGET, [298, 168], true), true, "the story's cold first traced run at 10k rows");
  assert.equal(passSpent(TRACE_BUDGET, [100, 100], false), false, 'times agree, the work did not (a cache filled)');
  assert.equal(passSpent(TRACE_BUDGET, [100], true), false, 'one run agrees with nothing');
  assert.equal(passSpent(TIMING_BUDGET, [300, 100], true), false, 'the timing pass judges times only');
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
  assert.equal(
    spentReason([1_500, 600], TIMING_BUDGET),
    'stopped at 2.1 s of requests: a pass spends about 1 s unless -n is given',
  );
  assert.equal(
    spentReason([100, 110], TIMING_BUDGET),
    'stopped at 0.2 s of requests: the last two took times within 20% (-n for more)',
  );
  assert.equal(
    spentReason([300, 110], TRACE_BUDGET, true),
    'stopped at 0.4 s of requests: the last two did the same work (-n for more)',
  );
});

test("a diagnose that profiles traces once, whatever the run's time", () => {
  assert.equal(passSpent(ONE_TRACED_BUDGET, []), false);
  assert.equal(passSpent(ONE_TRACED_BUDGET, [80]), true, "the story's request at 10k rows");
  assert.equal(passSpent(ONE_TRACED_BUDGET, [3_000]), true);
  assert.equal(
    spentReason([300], ONE_TRACED_BUDGET),
    'stopped after one run: the warm-up after it checks its work (-n for more)',
  );
  assert.equal(
    spentReason([1_100], ONE_TRACED_BUDGET),
    'stopped at 1.1 s of requests: a pass spends about 1 s unless -n is given',
    'a run that spent the pass alone has no warm-up after it',
  );
});

test('one timed run no slower than the warm-up before it ends the timing pass', () => {
  assert.equal(steadyAfterWarmup(TIMING_BUDGET, 100, [115]), true, 'within 20% of the warm-up');
  assert.equal(steadyAfterWarmup(TIMING_BUDGET, 115, [100]), true);
  assert.equal(steadyAfterWarmup(TIMING_BUDGET, 100, [120]), true, 'at the edge');
  assert.equal(steadyAfterWarmup(TIMING_BUDGET, 100, [121]), false, 'slower than the warm-up: the next run judges it');
  assert.equal(
    steadyAfterWarmup(TIMING_BUDGET, 200, [143]),
    true,
    'faster than the warm-up, which re-optimized what count mode deoptimized (the story at 3k rows: 200 ms, then 143 and 143)',
  );
  assert.equal(steadyAfterWarmup(TIMING_BUDGET, undefined, [100]), false, 'no warm-up');
  assert.equal(steadyAfterWarmup(TIMING_BUDGET, 100, []), false, 'no timed run yet');
  assert.equal(steadyAfterWarmup(TIMING_BUDGET, 100, [150, 100]), false, 'the pass judges its own two from there');
  assert.equal(steadyAfterWarmup(TRACE_BUDGET, 100, [100]), false, 'a budget without a time rule');
  assert.equal(
    steadyAfterWarmupReason(96, TIMING_BUDGET),
    'stopped at 0.1 s of requests: the timed run took no longer than the warm-up (within 20%) (-n for more)',
  );
});
