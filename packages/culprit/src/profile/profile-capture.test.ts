import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProfileData, RequestRecord } from '../capture/types.js';
import { profileCapture } from './profile-capture.js';

const profile: ProfileData = {
  sampleIntervalUs: 1000,
  requestCount: 1,
  durationMs: 1,
  countedRequests: 0,
  functions: [],
  nodes: [],
};

const request: RequestRecord = {
  id: 7,
  method: 'GET',
  url: '/api/people/?email=ada@example.com&page=2',
  status: 200,
  wallMs: 1,
  cpuMs: 1,
  bytes: 10,
  queries: [
    {
      driver: 'pg',
      sql: "SELECT * FROM person WHERE email = 'ada@example.com'",
      durationMs: 1,
      rows: 1,
      params: ['ada@example.com'],
    },
  ],
  constructions: [],
};

function capture(keepParams: boolean) {
  return profileCapture({
    version: '0',
    target: { mode: 'module' },
    requests: [request],
    profile,
    notes: [],
    keepParams,
    createdAt: 'now',
  });
}

test('a saved profile carries no query-string values, SQL literals or parameters unless kept', () => {
  const [redacted] = capture(false).requests;
  assert.equal(redacted?.url, '/api/people/?email=?&page=?');
  assert.deepEqual(redacted?.queries[0]?.params, ['?']);
  assert.doesNotMatch(JSON.stringify(redacted), /ada@example\.com/);
  const [kept] = capture(true).requests;
  assert.equal(kept?.url, request.url);
  assert.deepEqual(kept?.queries[0]?.params, ['ada@example.com']);
});
