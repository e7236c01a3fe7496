import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RedisCallRecord, RequestRecord, SourceLocation } from '../../capture/types.js';
import { diagnoseFully } from '../diagnose.js';
import { factsOf } from '../facts/request-facts.js';
import { capture, request } from '../test-support/captures.js';
import { cacheNeverHits } from './cache-never-hits.js';

const FILE = '/app/src/pricing.js';
const source = [
  "import { redis, db } from './clients.js';",
  '',
  'export class Pricing {',
  '  keyFor(sku) {',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the source under test holds a template literal
  '    return `price:${sku}:${Date.now()}`;',
  '  }',
  '',
  '  async summary(sku) {',
  '    const key = this.keyFor(sku);',
  '    const hit = await redis.get(key);',
  '    if (hit) return JSON.parse(hit);',
  '    const rows = await db.query(SUMMARY, [sku]);',
  "    await redis.set(key, JSON.stringify(rows), 'EX', 300);",
  '    return rows;',
  '  }',
  '}',
].join('\n');
const readAt: SourceLocation = { file: FILE, line: 10, column: 23, functionName: 'summary' };
const writeAt: SourceLocation = { file: FILE, line: 13, column: 11, functionName: 'summary' };

function call(command: string, startMs: number, extra: Partial<RedisCallRecord>): RedisCallRecord {
  return { client: 'ioredis', command, commands: 1, key: 'price:?:?', startMs, durationMs: 0.4, ...extra };
}

/** A run that misses (GET answers nothing), computes for 60 ms, and fills the key; `key` is the exact key's hash. */
function run(id: number, key: string, reply = 0): RequestRecord {
  // the time in the key folds to a shape of its own on each run: `price:?:?.665Z`
  const shape = `price:?:?.${id}Z`;
  const redis = [
    call('GET', 1, { location: readAt, replyBytes: reply, valuesKey: key, key: shape }),
    ...(reply > 0 ? [] : [call('SET', 62, { location: writeAt, replyBytes: 2, valuesKey: `${key}-set`, key: shape })]),
  ];
  return request({ id, url: '/prices/7', wallMs: 70, cpuMs: 8, redis });
}

const read = (path: string) => (path === FILE ? source : undefined);

test('a read that misses on every run under another key, filled after: named where the time goes into the key', () => {
  const runs = [run(1, 'k1'), run(2, 'k2'), run(3, 'k3')];
  const [finding, more] = cacheNeverHits.run(factsOf(capture(runs), read));
  assert.equal(more, undefined);
  assert.equal(finding?.rule, 'cache-never-hits');
  assert.deepEqual(finding?.location && [finding.location.file, finding.location.line], [FILE, 5]);
  assert.match(
    finding?.title ?? '',
    /never hits its cache: GET price:\?:\?\.1Z at .*pricing\.js:10 .*missed on 3 runs/,
  );
  assert.match(finding?.title ?? '', /Date\.now\(\) goes into the key at .*pricing\.js:5/);
  assert.ok((finding?.savesMs ?? 0) > 55 && (finding?.savesMs ?? 0) < 62);
  assert.equal(finding?.severity, 'critical');
  // the rule ranks first in a whole diagnosis
  assert.equal(diagnoseFully(capture(runs), undefined, read).findings[0]?.rule, 'cache-never-hits');
  // without the source: the read
  assert.equal(cacheNeverHits.run(factsOf(capture(runs)))[0]?.location?.line, 10);
});

test('a key written inline or assigned above the read names that line', () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the source under test holds a template literal
  const inline = source.replace('redis.get(key)', 'redis.get(`price:${sku}:${Date.now()}`)');
  const runs = [run(1, 'k1'), run(2, 'k2')];
  const readInline = (path: string) => (path === FILE ? inline : undefined);
  assert.equal(cacheNeverHits.run(factsOf(capture(runs), readInline))[0]?.location?.line, 10);
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the source under test holds a template literal
  const assigned = source.replace('this.keyFor(sku)', '`price:${sku}:${crypto.randomUUID()}`');
  const readAssigned = (path: string) => (path === FILE ? assigned : undefined);
  const [finding] = cacheNeverHits.run(factsOf(capture(runs), readAssigned));
  assert.equal(finding?.location?.line, 9);
  assert.match(finding?.title ?? '', /randomUUID\(\) goes into the key/);
});

test('no finding for a cache that works, a first miss, the same key missed again, or one run', () => {
  const none = (runs: RequestRecord[]) => cacheNeverHits.run(factsOf(capture(runs), read));
  // the first run fills the cache, the next ones hit
  assert.deepEqual(none([run(1, 'k'), run(2, 'k', 180), run(3, 'k', 180)]), []);
  // the same exact key missed twice: not a key that changes (the write did not take, or expired)
  assert.deepEqual(none([run(1, 'k'), run(2, 'k')]), []);
  assert.deepEqual(none([run(1, 'k1')]), []);
  // a miss nobody fills is a read of something absent, not a cache
  const unfilled = [1, 2].map((id) =>
    request({
      id,
      url: '/prices/7',
      redis: [call('GET', 1, { location: readAt, replyBytes: 0, valuesKey: `k${id}` })],
    }),
  );
  assert.deepEqual(none(unfilled), []);
});

test("a cache helper handed its key: the caller's line that puts the time in it is named", () => {
  // a shared `remember(key, ttl, compute)` reads the key it is given; the route builds the key with a timestamp
  // that defaults to now, a line above
  const HELPER = '/app/src/cache.js';
  const ROUTE = '/app/src/routes/reports.js';
  const files: Record<string, string> = {
    [HELPER]: [
      'async function remember(key, ttlSeconds, compute) {', // 1
      '  const hit = await redis.get(key);',
      '  if (hit !== null) return JSON.parse(hit);',
      '  const value = await compute();',
      "  await redis.set(key, JSON.stringify(value), 'EX', ttlSeconds);",
      '  return value;',
      '}',
    ].join('\n'),
    [ROUTE]: [
      'async function weekly(req) {', // 1
      '  const until = req.query.until ? new Date(req.query.until) : new Date();',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source under test holds a template literal
      '  const key = `weekly:${req.params.team}:${until.toISOString()}`;',
      '  return remember(key, 300, () => db.weekly(req.params.team, until));', // 4
      '}',
    ].join('\n'),
  };
  const helperRead: SourceLocation = { file: HELPER, line: 2, column: 27, functionName: 'remember' };
  const routeQuery = { file: ROUTE, line: 4, column: 40, functionName: 'weekly' };
  const runs = [1, 2, 3].map((id) =>
    request({
      id,
      url: '/teams/4/weekly',
      wallMs: 90,
      cpuMs: 10,
      queries: [{ driver: 'pg', sql: 'SELECT 1', durationMs: 60, rows: 1, location: routeQuery, startMs: 2 }],
      redis: [
        call('GET', 1, { location: helperRead, replyBytes: 0, valuesKey: `w${id}`, key: `weekly:?:?.${id}Z` }),
        call('SET', 70, { location: { ...helperRead, line: 5 }, valuesKey: `w${id}-set`, key: `weekly:?:?.${id}Z` }),
      ],
    }),
  );
  const [finding] = cacheNeverHits.run(factsOf(capture(runs), (path) => files[path]));
  assert.deepEqual(finding?.location && [finding.location.file, finding.location.line], [ROUTE, 2]);
  assert.match(finding?.title ?? '', /new Date\(\) goes into the key at .*reports\.js:2/);
});
