import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RawCpuProfile } from '../target/types.js';
import { mergeWindows, profilesByRoute, routeOfSamples } from './route-profiles.js';

const frame = (functionName: string) => ({
  functionName,
  scriptId: '1',
  url: 'file:///app.js',
  lineNumber: 0,
  columnNumber: 0,
});

/** Samples at 10 µs steps from t = 1000 µs: [root → a] for node 2, [root → b] for node 3. */
function profile(samples: number[]): RawCpuProfile {
  return {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 3] },
      { id: 2, callFrame: frame('a') },
      { id: 3, callFrame: frame('b') },
    ],
    startTime: 1000,
    endTime: 1000 + samples.length * 10,
    samples,
    timeDeltas: samples.map(() => 10),
  };
}

test('a sample belongs to the route whose requests alone were in flight; overlap of two routes or none: no route', () => {
  // samples at 1010, 1020, … 1060
  const windows = new Float64Array([
    1005,
    1025,
    0, // route 0 covers samples 1 and 2
    1015,
    1022,
    0, // another request of route 0, overlapping: still route 0
    1035,
    1045,
    1, // route 1 covers sample 4 alone
    1042,
    1055,
    0, // route 0 from 1042: sample 5 (1050) is route 0's
    1039,
    1041,
    1, // covers sample 4 (1040) too, same route 1
  ]);
  const routes = routeOfSamples(profile([2, 2, 3, 3, 2, 3]), { windows, routes: ['GET /a', 'GET /b'] });
  assert.deepEqual([...routes], [0, 0, -1, 1, 0, -1]);
  const overlap = routeOfSamples(profile([2]), {
    windows: new Float64Array([1000, 1020, 0, 1005, 1015, 1]),
    routes: ['x', 'y'],
  });
  assert.deepEqual([...overlap], [-1]);
});

test('each route gets a profile of its own samples, each sample keeping the time it stood for', () => {
  const windows = new Float64Array([1005, 1025, 0, 1035, 1045, 1]);
  const parts = profilesByRoute(profile([2, 2, 3, 3, 2, 3]), { windows, routes: ['GET /a', 'GET /b'] }, 10);
  const byRoute = new Map(parts.map((part) => [part.route ?? '-', part]));
  assert.deepEqual([...byRoute.keys()].sort(), ['-', 'GET /a', 'GET /b']);
  const selfMs = (route: string, fn: string) =>
    byRoute.get(route)?.profile.functions.find((f) => f.name === fn)?.selfMs ?? 0;
  assert.equal(selfMs('GET /a', 'a'), 0.02, 'samples 1 and 2: 10 µs each');
  assert.equal(selfMs('GET /a', 'b'), 0);
  assert.equal(selfMs('GET /b', 'b'), 0.01);
  assert.equal(byRoute.get('GET /a')?.requests, 1);
  assert.equal(byRoute.get('GET /a')?.profile.durationMs, 0.06, 'the whole interval');
});

test("intervals' windows merge by route name (each interval numbers its routes on its own)", () => {
  const merged = mergeWindows([
    { windows: new Float64Array([1, 2, 0, 3, 4, 1]), routes: ['GET /a', 'GET /b'] },
    { windows: new Float64Array([5, 6, 0, 7, 8, 1]), routes: ['GET /b', 'GET /c'] },
  ]);
  assert.deepEqual(merged.routes, ['GET /a', 'GET /b', 'GET /c']);
  assert.deepEqual([...merged.windows], [1, 2, 0, 3, 4, 1, 5, 6, 1, 7, 8, 2]);
});
