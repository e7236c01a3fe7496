import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MERGED_FRAME_NAME, reduceCapture } from './reduce-profile.js';
import { fakeCapture } from './test-support/fake-capture.js';

test('small captures are left alone', () => {
  const capture = fakeCapture({ nodes: 1000 });
  assert.equal(reduceCapture(capture, 5000), capture);
});

test('a big profile keeps its heaviest frames, merges the rest and says so', () => {
  const capture = fakeCapture({ nodes: 20_000 });
  const before = capture.profile!;
  const reduced = reduceCapture(capture, 2000);
  const after = reduced.profile!;
  assert.ok(after.nodes.length <= 2000, `${after.nodes.length} nodes`);
  assert.ok(Math.abs(after.nodes[0]!.totalMs - before.nodes[0]!.totalMs) < 1e-6, 'root time unchanged');
  // Every node's total still equals self plus children.
  const childSum = new Float64Array(after.nodes.length);
  after.nodes.forEach((n) => {
    if (n.parent >= 0) childSum[n.parent]! += n.totalMs;
    assert.ok(n.parent < after.nodes.length);
  });
  after.nodes.forEach((n, i) => {
    assert.ok(Math.abs(n.selfMs + childSum[i]! - n.totalMs) < 1e-6, `node ${i}`);
  });
  const samples = (nodes: typeof before.nodes): number => nodes.reduce((s, n) => s + n.selfSamples, 0);
  assert.equal(samples(after.nodes), samples(before.nodes));
  assert.equal(after.functions.at(-1)!.name, MERGED_FRAME_NAME);
  assert.match(reduced.notes!.at(-1)!, /20,000 call-tree nodes → \d/);
  // The story's frame survives.
  assert.ok(after.nodes.some((n) => after.functions[n.fn]!.name === 'Ephemera'));
});
