import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../capture/types.js';
import { mergeHotspots } from './fold.js';
import { noteQuerySite } from './query-site.js';

const finding = (rule: string, fields: Partial<Finding>): Finding => ({
  rule,
  severity: 'warning',
  title: rule,
  impact: 0.3,
  evidence: [],
  endpoint: 'GET /cart',
  ...fields,
});

test("a Redis client's CPU under a Redis N+1 is that N+1's cost, whatever helper calls the client", () => {
  const nPlusOne = finding('redis-n-plus-one', {
    savesMs: 12,
    location: { file: '/app/cart.js', line: 30, column: 1, functionName: 'cart' },
  });
  const clientCpu = finding('library-call', {
    savesMs: 18,
    callee: 'sendCommand',
    calleePackage: 'ioredis',
    location: { file: '/app/products.js', line: 8, column: 1, functionName: 'getProduct' },
  });
  const otherCpu = finding('library-call', {
    savesMs: 9,
    callee: 'compile',
    calleePackage: 'handlebars',
    location: { file: '/app/render.js', line: 3, column: 1, functionName: 'render' },
  });
  const kept = mergeHotspots([nPlusOne, clientCpu, otherCpu]);
  assert.deepEqual(
    kept.map((f) => f.rule),
    ['redis-n-plus-one', 'library-call'],
  );
  assert.equal(kept[0]?.savesMs, 18, 'the N+1 is worth at least the CPU it costs');
  assert.equal(kept[1]?.calleePackage, 'handlebars', "another library's CPU stays its own finding");
  // an HTTP client's CPU is not a Redis N+1's
  const httpCpu = finding('library-call', { savesMs: 5, calleePackage: 'got', callee: 'request' });
  assert.equal(mergeHotspots([finding('redis-n-plus-one', { savesMs: 3 }), httpCpu]).length, 2);
});

test("a blocking call on the line that issued a slow query is that query (a synchronous driver's native call); another line's stays", () => {
  const site = { file: '/app/repo.js', line: 17, column: 3, functionName: 'recentForAccount' };
  const slow = finding('slow-query', { savesMs: 44, location: site });
  const driverCall = finding('blocking-call', { savesMs: 48, callee: 'all', location: site });
  const hashing = finding('blocking-call', { savesMs: 30, callee: 'pbkdf2Sync', location: { ...site, line: 19 } });
  const kept = mergeHotspots([slow, driverCall, hashing]);
  assert.deepEqual(
    kept.map((f) => `${f.rule} ${f.callee ?? ''}`.trim()),
    ['slow-query', 'blocking-call pbkdf2Sync'],
  );
  assert.equal(kept[0]?.savesMs, 48, "the query is worth the CPU of its driver's call");
});

test("an arrow handler's synchronous query, which its site names by line alone, is merged into the query's cause", () => {
  // an inline `(req, res) => { const rows = stmt.all(region) … }`: the query site has no function name
  const site = { file: '/srv/stats.js', line: 20, column: 23 };
  // placed at the schema line where the index goes, run at the handler's line
  const slow = finding('slow-query', { savesMs: 170, location: { ...site, line: 5 } });
  noteQuerySite(slow, site);
  const syncCpu = finding('library-call', {
    savesMs: 177,
    callee: 'all',
    location: { ...site, functionName: '(anonymous stats.js:18)' },
  });
  const elsewhere = finding('library-call', {
    savesMs: 40,
    callee: 'render',
    location: { file: '/srv/stats.js', line: 31, column: 5, functionName: '(anonymous stats.js:29)' },
  });
  const kept = mergeHotspots([slow, syncCpu, elsewhere]);
  assert.deepEqual(
    kept.map((f) => `${f.rule} ${f.callee ?? ''}`.trim()),
    ['slow-query', 'library-call render'],
  );
  assert.equal(kept[0]?.savesMs, 177);
});
