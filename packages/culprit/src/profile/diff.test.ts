import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProfileData, ProfileFunction } from '../capture/types.js';
import { diffProfiles, renderDiff } from './diff.js';

function fn(name: string, selfMs: number, calls: number | null): ProfileFunction {
  return { name, file: `/app/src/${name}.ts`, line: 1, column: 1, category: 'app', calls, selfMs, totalMs: selfMs };
}

function profile(functions: ProfileFunction[], requests: number): ProfileData {
  const total = functions.reduce((sum, f) => sum + f.selfMs, 0);
  return {
    sampleIntervalUs: 1000,
    requestCount: requests,
    durationMs: total,
    countedRequests: requests,
    functions: [{ ...fn('(root)', 0, null), file: '', category: 'root' }, ...functions],
    nodes: [{ fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: total }],
  };
}

test('diff reports per-request change in self time and calls, biggest first', () => {
  const before = profile([fn('Model', 2000, 2315900), fn('view', 500, 100), fn('debug', 100, 10)], 10);
  const after = profile([fn('Model', 10, 200), fn('view', 240, 50), fn('cache', 20, 5)], 5);
  const diff = diffProfiles(before, after, '/app');
  assert.equal(diff.beforeMsPerRequest, 260);
  assert.equal(diff.afterMsPerRequest, 54);
  const [first, second] = diff.changes;
  assert.equal(first?.where, 'src/Model.ts:1(Model)');
  assert.equal(first?.beforeCalls, 231590);
  assert.equal(first?.afterCalls, 40);
  assert.equal(first?.beforeSelfMs, 200);
  assert.equal(first?.afterSelfMs, 2);
  assert.equal(second?.where, 'src/debug.ts:1(debug)');
  assert.equal(diff.changes.find((c) => c.where.includes('debug'))?.status, 'removed');
  assert.equal(diff.changes.find((c) => c.where.includes('cache'))?.status, 'added');
  const text = renderDiff(diff);
  assert.match(text, /260\.0 ms → 54\.0 ms \(4\.81× faster\)/);
  assert.match(text, /231590 +40 +-231550 +src\/Model\.ts:1\(Model\)/);
});
