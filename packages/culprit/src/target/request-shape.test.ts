// The request as sent: curl's defaults for -d, the URL's port and scheme, unsafe methods.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCulpritError } from '../errors/culprit-error.js';
import { isUnsafeMethod, shapeRequest } from './request-shape.js';
import { allowedSends } from './send-notes.js';
import { parseTargetUrl, portOf } from './target-url.js';

test('-d without -X is a POST with Content-Length (bytes, not characters) and curl content type', () => {
  assert.deepEqual(shapeRequest({ path: '/x', body: 'é=1' }), {
    method: 'POST',
    path: '/x',
    body: 'é=1',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '4' },
  });
  const json = shapeRequest({ method: 'put', path: '/x', body: '{}', headers: { 'Content-Type': 'application/json' } });
  assert.equal(json.method, 'PUT');
  assert.equal(json.headers?.['content-type'], 'application/json');
  assert.deepEqual(shapeRequest({ path: '/x' }), { method: 'GET', path: '/x' });
});

test('unsafe methods go once unless repeating is allowed', () => {
  assert.deepEqual(['GET', 'HEAD', 'POST', 'put', 'PATCH', 'DELETE'].map(isUnsafeMethod), [
    false,
    false,
    true,
    true,
    true,
    true,
  ]);
  assert.equal(allowedSends({ method: 'POST' }, 5, false), 1);
  assert.equal(allowedSends({ method: 'POST' }, 5, true), 5);
  assert.equal(allowedSends({ method: 'GET' }, 5, false), 5);
});

test("the URL's port and scheme; --port must agree", () => {
  assert.deepEqual(parseTargetUrl('/a?b=1'), { path: '/a?b=1' });
  assert.deepEqual(parseTargetUrl('https://localhost:8443/a'), { path: '/a', scheme: 'https', port: 8443 });
  assert.deepEqual(parseTargetUrl('http://localhost/a'), { path: '/a', scheme: 'http' });
  assert.equal(portOf(parseTargetUrl('http://x:3000/'), 3000), 3000);
  assert.equal(portOf(parseTargetUrl('/'), 4000), 4000);
  assert.throws(
    () => portOf(parseTargetUrl('http://x:3000/'), 9229),
    (error) => {
      assert.ok(isCulpritError(error));
      return error.code === 'CULPRIT_E_FLAG_CONFLICT';
    },
  );
  assert.throws(
    () => parseTargetUrl('ftp://x/'),
    (error) => isCulpritError(error) && error.code === 'CULPRIT_E_BAD_URL',
  );
});
