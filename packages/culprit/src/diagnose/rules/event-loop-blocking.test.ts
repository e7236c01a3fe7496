// A login whose password check runs in a pure-JavaScript hashing library the framework calls from its own
// strategy: the loop is blocked, and no app line calls the hash.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProfileData } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { capture, profileFunction, request } from '../test-support/captures.js';

const HASH = '/app/node_modules/hashlib/dist/hash.js';

/** (root) → the framework's strategy → the hash's rounds; a small app hook beside them. */
function loginProfile(hashMs: number, appMs: number, routerMs: number): ProfileData {
  const dep = (name: string, file: string, line: number, pkg: string, selfMs: number) =>
    profileFunction(name, file, line, 'dependency', { package: pkg, selfMs, calls: 10 });
  return {
    sampleIntervalUs: 1000,
    requestCount: 2,
    durationMs: 400,
    countedRequests: 2,
    functions: [
      profileFunction('(root)', '', 0, 'root'),
      dep('authenticate', '/app/node_modules/auth-local/lib/strategy.js', 40, 'auth-local', 2),
      dep('encipher', HASH, 959, 'hashlib', hashMs),
      dep('key', HASH, 1096, 'hashlib', 6),
      dep('dispatch', '/app/node_modules/router/index.js', 17, 'router', routerMs),
      profileFunction('logErrors', '/app/src/hooks/log-errors.ts', 5, 'app', { selfMs: appMs, calls: 2 }),
    ],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: hashMs + 8 + appMs + routerMs },
      { fn: 1, parent: 0, selfSamples: 2, selfMs: 2, totalMs: hashMs + 8 },
      { fn: 3, parent: 1, selfSamples: 6, selfMs: 6, totalMs: hashMs + 6 },
      { fn: 2, parent: 3, selfSamples: hashMs, selfMs: hashMs, totalMs: hashMs },
      { fn: 4, parent: 0, selfSamples: routerMs, selfMs: routerMs, totalMs: routerMs },
      { fn: 5, parent: 0, selfSamples: appMs, selfMs: appMs, totalMs: appMs },
    ],
  };
}

function blocking(hashMs: number, appMs = 1, routerMs = 0) {
  const traced = request({ method: 'POST', wallMs: 240, cpuMs: 230, blockingMs: 210 });
  return diagnoseFully(capture([traced], loginProfile(hashMs, appMs, routerMs)), rules).findings.find(
    (f) => f.rule === 'event-loop-blocking',
  );
}

test("a stretch spent in a library's own code with no app frame above it names the library and its busiest function", () => {
  const found = blocking(300);
  assert.match(
    found?.noAppLine ?? '',
    /hashlib's own code with no app frame above it, most in encipher \(\/app\/node_modules\/hashlib\/dist\/hash\.js:959\)/,
  );
});

test('when no one library holds most of the samples, the busiest app function is said as before', () => {
  // the router's own work beside the hash's: no one package holds most of it
  const found = blocking(3, 2, 11);
  assert.match(found?.noAppLine ?? '', /the busiest, logErrors/);
});
