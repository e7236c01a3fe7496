import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildProfile } from './build-profile.js';
import { pstatsRows } from './pstats.js';
import { renderPstats } from './render-pstats.js';
import { assertGolden, rawFixtures } from './test-support/golden.js';
import { loadRawFixture } from './test-support/raw-fixture.js';

for (const fixture of rawFixtures()) {
  test(`pstats table of ${fixture.name} matches its golden`, () => {
    const profile = buildProfile(loadRawFixture(fixture.file));
    assertGolden(`${fixture.name}.pstats.txt`, renderPstats(profile, { sort: 'cumtime', cwd: '/app' }));
    assertGolden(
      `${fixture.name}.pstats-tottime-expanded.txt`,
      renderPstats(profile, { sort: 'tottime', cwd: '/app', expandDeps: true, limit: 8 }),
    );
  });
}

test('dependencies fold into one row per package unless expanded', () => {
  const fixture = rawFixtures().find((f) => f.name === 'workload-mapped');
  assert.ok(fixture);
  const profile = buildProfile(loadRawFixture(fixture.file));
  const folded = pstatsRows(profile, { sort: 'ncalls', cwd: '/app' });
  const pkg = folded.find((row) => row.package === 'fastmath');
  assert.ok(pkg, 'a fastmath row');
  assert.equal(pkg.where, 'node_modules/fastmath(2 functions)');
  // fib(15) is 1,973 calls and spin 1, per request, over 5 requests.
  assert.equal(pkg.ncalls, (1973 + 1) * 5);
  const expanded = pstatsRows(profile, { sort: 'ncalls', cwd: '/app', expandDeps: true });
  const fib = expanded.find((row) => row.where === 'node_modules/fastmath/lib/fib.ts:3(fib)');
  assert.equal(fib?.ncalls, 1973 * 5);
  assert.equal(expanded.find((row) => row.where === 'src/models/row.ts:12(Row)')?.ncalls, 2000 * 5);
  // Sorted by calls, then filtered and limited.
  const filtered = pstatsRows(profile, { sort: 'ncalls', cwd: '/app', filter: /models/, limit: 1 });
  assert.deepEqual(
    filtered.map((row) => row.where),
    ['src/models/row.ts:12(Row)'],
  );
});
