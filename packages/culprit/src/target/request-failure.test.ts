import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failureOf, requestsFailed } from './request-failure.js';

test('a request answered >= 400 fails with its status and the head of its body, secrets redacted', () => {
  assert.equal(failureOf({ status: 200 }), undefined);
  const failure = failureOf({ status: 500, bodyHead: 'boom: password=hunter2\n  at handler' });
  assert.match(failure ?? '', /^answered 500 \(body: boom: /);
  assert.doesNotMatch(failure ?? '', /hunter2/);
});

test('a refused content type says how to send a JSON body', () => {
  const error = requestsFailed([
    { method: 'POST', url: '/graphql', status: 415, bodyHead: 'Unsupported Media Type' },
    { method: 'POST', url: '/graphql', status: 415 },
  ]);
  assert.equal(error?.code, 'CULPRIT_E_REQUEST_FAILED');
  assert.match(
    error?.message ?? '',
    /POST \/graphql answered 415 .*-H 'content-type: application\/json'.* \(2 of 2 requests\)/,
  );
});

test('no answer at all is a failure too', () => {
  assert.equal(failureOf({ status: 0, error: 'socket hang up' }), 'failed: socket hang up');
});
