import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ENVELOPE_KEY, isEnvelope, isQueriesEnvelope, QUERIES_KEY } from './envelope.js';

test("envelopes are told from the app's own messages, after structured cloning too", () => {
  const request = structuredClone({ [ENVELOPE_KEY]: 7, data: { id: 1 } });
  assert.equal(isEnvelope(request), true);
  assert.equal(isEnvelope({ [ENVELOPE_KEY]: '7', data: 1 }), false);
  assert.equal(isEnvelope({ id: 1, data: 2 }), false);
  assert.equal(isEnvelope(null), false);
  const queries = structuredClone({ [QUERIES_KEY]: [{ requestId: 7, event: { sql: 'SELECT 1' } }], data: 'reply' });
  assert.equal(isQueriesEnvelope(queries), true);
  assert.equal(isQueriesEnvelope({ [QUERIES_KEY]: 'x', data: 1 }), false);
  assert.equal(isQueriesEnvelope('reply'), false);
});
