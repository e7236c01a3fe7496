import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Capture, ProfileFunction } from '../../../src/capture/types.js';
import { buildBottomUp, buildSandwich } from './derived-trees.js';
import { buildDiff } from './diff.js';
import { childrenOf } from './flat-tree.js';
import { makeProfileModel } from './profile-model.js';
import { matchedShare, matchFunctions } from './search.js';

// root → main → a → b(recursive) → b ; main → b ; main → c
const fn = (name: string, selfMs = 0, calls: number | null = 1): ProfileFunction => ({
  name,
  file: `/app/${name}.ts`,
  line: 1,
  column: 1,
  category: name === '(root)' ? 'root' : 'app',
  calls,
  selfMs,
  totalMs: 0,
});
function capture(scale = 1): Capture {
  const n = (f: number, parent: number, selfMs: number, totalMs: number) => ({
    fn: f,
    parent,
    selfSamples: selfMs,
    selfMs: selfMs * scale,
    totalMs: totalMs * scale,
  });
  return {
    schema: 'culprit.capture/1',
    createdAt: '',
    tool: { name: 'culprit', version: '0', command: '' },
    target: { mode: 'module' },
    requests: [],
    profile: {
      sampleIntervalUs: 100,
      requestCount: 1,
      durationMs: 100,
      countedRequests: 1,
      functions: [fn('(root)'), fn('main'), fn('a'), fn('b', 0, 7), fn('c')],
      nodes: [
        n(0, -1, 0, 100),
        n(1, 0, 10, 100),
        n(2, 1, 10, 50),
        n(3, 2, 20, 40),
        n(3, 3, 20, 20),
        n(3, 1, 30, 30),
        n(4, 1, 10, 10),
      ],
    },
  };
}

test('layout: children heaviest first, x0 as a fraction of the root', () => {
  const model = makeProfileModel(capture())!;
  const { tree } = model;
  assert.deepEqual(childrenOf(tree, 1), [2, 5, 6]);
  assert.equal(tree.x0[2], 0);
  assert.equal(tree.x0[5], 0.5);
  assert.equal(tree.x0[6], 0.8);
  assert.equal(tree.maxDepth, 4);
  assert.deepEqual(model.outerNodes[3], [3, 5], 'recursion counted once');
});

test('sandwich: callers and callees of b merged over call sites, recursion once', () => {
  const model = makeProfileModel(capture())!;
  const { callers, callees } = buildSandwich(model, 3);
  assert.equal(callers.total[0], 70); // 40 via a + 30 direct
  const callerFns = childrenOf(callers, 0).map((i) => [callers.fn[i], callers.total[i]]);
  assert.deepEqual(callerFns, [
    [2, 40],
    [1, 30],
  ]);
  assert.equal(callees.total[0], 70);
  assert.deepEqual(
    childrenOf(callees, 0).map((i) => callees.fn[i]),
    [3],
  );
});

test('bottom-up: roots are where self time is, children their callers', () => {
  const tree = buildBottomUp(makeProfileModel(capture())!);
  const roots = childrenOf(tree, 0).map((i) => [tree.fn[i], tree.total[i]]);
  assert.deepEqual(roots, [
    [3, 70],
    [1, 10],
    [2, 10],
    [4, 10],
  ]);
});

test('search: share counts nested matches once', () => {
  const model = makeProfileModel(capture())!;
  const matches = matchFunctions(model.functions, 'b')!;
  assert.deepEqual([...matches], [0, 0, 0, 1, 0]);
  assert.deepEqual(matchedShare(model.tree, matches), { share: 0.7, frames: 3, ms: 70 });
  assert.deepEqual([...matchFunctions(model.functions, '/^(a|c)$/')!], [0, 0, 1, 0, 1]);
  assert.equal(matchFunctions(model.functions, '  '), undefined);
});

test('diff: frames merged by call path, per request, both sides kept', () => {
  const diff = buildDiff(capture(1), capture(0.5), 'before')!;
  assert.equal(diff.before[0], 100);
  assert.equal(diff.after[0], 50);
  const b = diff.rows.find((r) => diff.functions[r.fn]!.name === 'b')!;
  assert.equal(b.callsBefore, 7);
  assert.equal(diff.tree.size, 7);
});
