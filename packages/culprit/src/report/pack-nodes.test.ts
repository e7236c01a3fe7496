import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packCapture, unpackCapture } from './pack-nodes.js';
import { fakeCapture } from './test-support/fake-capture.js';

test('packed nodes round-trip through JSON to the same tree (times to 0.1 µs)', () => {
  const capture = fakeCapture({ nodes: 2000 });
  const packed = packCapture(capture);
  assert.equal(packed.profile!.nodes.length, 0);
  const json = JSON.stringify(packed);
  assert.ok(json.length < JSON.stringify(capture).length * 0.6, 'packing makes the report smaller');
  const back = unpackCapture(JSON.parse(json));
  assert.equal(back.profile!.nodes.length, capture.profile!.nodes.length);
  back.profile!.nodes.forEach((n, i) => {
    const o = capture.profile!.nodes[i]!;
    assert.equal(n.fn, o.fn);
    assert.equal(n.parent, o.parent);
    assert.equal(n.selfSamples, o.selfSamples);
    assert.ok(Math.abs(n.totalMs - o.totalMs) < 1e-4);
  });
  assert.ok(!('packedNodes' in back));
});
