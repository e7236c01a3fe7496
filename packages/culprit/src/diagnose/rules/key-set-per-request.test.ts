// A JWT-protected endpoint whose verification makes its remote key-set object inside the function that
// verifies: the object starts empty on each call, so every request fetches the issuer's keys again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HttpCallRecord, RequestRecord, SourceLocation } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { capture, request } from '../test-support/captures.js';

const verifyAt: SourceLocation = { file: '/app/src/auth/verify-token.js', line: 9, column: 26, functionName: 'verify' };

function keys(path: string, durationMs: number): HttpCallRecord {
  const origin = 'https://login.example.test';
  return {
    client: 'http',
    method: 'GET',
    origin,
    path,
    url: path,
    status: 200,
    bytes: 1400,
    startMs: 2,
    durationMs,
    location: verifyAt,
  };
}

function run(id: number, http: HttpCallRecord[]): RequestRecord {
  return request({ id, url: '/api/invoices/7', wallMs: 70, cpuMs: 9, http });
}

test('a key set fetched in every run is named at the call, with the object made once as the fix', () => {
  const runs = [1, 2, 3].map((id) => run(id, [keys('/.well-known/jwks.json', 38)]));
  const [top] = diagnoseFully(capture(runs), rules).findings;
  assert.equal(top?.rule, 'key-set-per-request');
  assert.equal(top?.location?.file, verifyAt.file);
  assert.match(
    top?.title ?? '',
    /fetches the key set https:\/\/login\.example\.test\/\.well-known\/jwks\.json on every request \(38/,
  );
  assert.match(top?.suggestion ?? '', /once, at module scope/);
});

test('a key set fetched by the first run only (the cache filling), or another GET in every run: no finding', () => {
  const filling = [run(1, [keys('/oauth2/v3/certs', 40)]), run(2, []), run(3, [])];
  assert.equal(
    diagnoseFully(capture(filling), rules).findings.filter((f) => f.rule === 'key-set-per-request').length,
    0,
  );
  const other = [1, 2].map((id) => run(id, [keys('/api/rates/today', 40)]));
  assert.equal(diagnoseFully(capture(other), rules).findings.filter((f) => f.rule === 'key-set-per-request').length, 0);
});
