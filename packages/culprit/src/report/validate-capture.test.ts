import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCulpritError } from '../errors/culprit-error.js';
import { fakeCapture } from './test-support/fake-capture.js';
import { validateCapture } from './validate-capture.js';

function code(value: unknown): string {
  try {
    validateCapture(value, 'x.json');
    return 'ok';
  } catch (error) {
    assert.ok(isCulpritError(error));
    assert.equal(error.exitCode, 2);
    assert.ok(!error.message.includes('\n'));
    return `${error.code}: ${error.message}`;
  }
}

test('a generated capture is valid', () => {
  assert.equal(code(JSON.parse(JSON.stringify(fakeCapture({ nodes: 500 })))), 'ok');
});

test('not a capture, wrong version and broken trees are coded one-line errors', () => {
  assert.match(code([1, 2]), /CULPRIT_E_BAD_CAPTURE: x.json: not a culprit capture/);
  assert.match(code({ hello: 1 }), /no "schema" field/);
  assert.match(code({ schema: 'culprit.capture/2', requests: [] }), /unsupported capture schema "culprit.capture\/2"/);
  const broken = fakeCapture({ nodes: 50 });
  broken.profile!.nodes[3]!.fn = 10_000;
  assert.match(code(broken), /profile.nodes\[3\].fn must index/);
  const cyclic = fakeCapture({ nodes: 50 });
  cyclic.profile!.nodes[3]!.parent = 7;
  assert.match(code(cyclic), /earlier node's index/);
});
