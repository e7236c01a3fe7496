import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anyCondition, logpointCondition, whenCondition } from './conditions.js';

// The conditions run in the paused function's scope; here, in an ordinary one.
const key = 'culprit.test.conditions';
const calls: unknown[] = [];
(globalThis as Record<symbol, unknown>)[Symbol.for(key)] = {
  log: (index: number, thunks: Array<() => unknown>) => calls.push([index, thunks.map((thunk) => thunk())]),
  when: (_index: number, condition: () => unknown) => Boolean(condition()),
};

test('a logpoint records args and locals and never pauses', () => {
  const run = new Function('row', `const local = row * 2; return ${logpointCondition(key, 3, ['args[0]', 'local'])};`);
  assert.equal(run(21), false);
  assert.deepEqual(calls.at(-1), [3, [21, 42]]);
});

test('a --when condition holds only when the expression does', () => {
  const run = new Function('id', `return ${whenCondition(key, 0, 'args[0] === 20000')};`);
  assert.equal(run(1), false);
  assert.equal(run(20000), true);
});

test('a --log and a --when on one breakpoint: both run, the pause follows the --when', () => {
  const both = anyCondition([logpointCondition(key, 1, ['args[0]']), whenCondition(key, 2, 'args[0] === 7')]);
  const run = new Function('id', `return ${both};`);
  assert.equal(run(6), false);
  assert.deepEqual(calls.at(-1), [1, [6]]);
  assert.equal(run(7), true);
  assert.deepEqual(calls.at(-1), [1, [7]], 'the logpoint still recorded');
});

test('an expression ending in a line comment keeps its closing bracket', () => {
  const run = new Function('id', `return ${whenCondition(key, 0, 'args[0] === 5 // the fifth')};`);
  assert.equal(run(5), true);
  const log = new Function('id', `return ${logpointCondition(key, 4, ['args[0] // first', 'args[0] + 1'])};`);
  assert.equal(log(1), false);
  assert.deepEqual(calls.at(-1), [4, [1, 2]]);
});
