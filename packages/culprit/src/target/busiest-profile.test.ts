import assert from 'node:assert/strict';
import { test } from 'node:test';
import { busiestProfile } from './busiest-profile.js';
import type { RawCpuProfile } from './types.js';

const frame = (functionName: string) => ({ functionName, scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 });

/** A profile of `idle` samples in (idle) and `busy` samples in a handler. */
function profile(idle: number, busy: number): RawCpuProfile {
  return {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 3] },
      { id: 2, callFrame: frame('(idle)') },
      { id: 3, callFrame: frame('handler') },
    ],
    startTime: 0,
    endTime: idle + busy,
    samples: [...Array(idle).fill(2), ...Array(busy).fill(3)],
    timeDeltas: Array(idle + busy).fill(1),
  };
}

test('the cluster worker that served the requests is picked, not the one with more samples in all', () => {
  const idleWorker = profile(900, 5);
  const servingWorker = profile(300, 400);
  assert.equal(busiestProfile([idleWorker, servingWorker]), servingWorker);
  assert.equal(busiestProfile([servingWorker, idleWorker]), servingWorker);
});

test('one profile is itself; none is undefined', () => {
  const only = profile(10, 0);
  assert.equal(busiestProfile([only]), only);
  assert.equal(busiestProfile([]), undefined);
});
