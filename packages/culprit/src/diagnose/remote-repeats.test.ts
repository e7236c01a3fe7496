import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HttpCallRecord, RedisCallRecord, SourceLocation } from '../capture/types.js';
import { diagnoseFully, rules } from './diagnose.js';
import { capture, request } from './test-support/captures.js';

// a reminder preview: for each appointment of the day, is a reminder sent already, then the patient's preferences
const FILE = '/app/lib/reminders.js';
const SOURCE = [
  'async function plan(appointments) {',
  '  const due = [];',
  '  for (const appt of appointments) {',
  "    const sent = await redis.exists('reminder:' + appt.id);",
  '    if (sent) continue;',
  "    const prefs = await redis.hGetAll('prefs:' + appt.patient);",
  '    due.push({ appt, prefs });',
  '  }',
  '  return due;',
  '}',
].join('\n');
const at = (line: number): SourceLocation => ({ file: FILE, line, column: 5, functionName: 'plan' });

function round(command: string, key: string, line: number, i: number): RedisCallRecord {
  return {
    client: 'node-redis',
    command,
    key,
    commands: 1,
    startMs: i,
    durationMs: 0.4,
    location: at(line),
    valuesKey: `${command}${i}`,
  };
}

function diagnosed(perLine: number, dropped?: number, sameKeys = false) {
  const redis = Array.from({ length: perLine }, (_, i) => [
    round('EXISTS', 'reminder:?', 4, sameKeys ? 0 : i),
    round('HGETALL', 'prefs:?', 6, sameKeys ? 0 : i),
  ]).flat();
  const record = request({
    url: '/reminders',
    wallMs: 1_500,
    cpuMs: 300,
    items: 50,
    redis,
    ...(dropped ? { droppedOperations: dropped } : {}),
  });
  return diagnoseFully(capture([record]), rules, (path) => (path === FILE ? SOURCE : undefined)).findings;
}

test("one loop's Redis repeats on two lines are one N+1: the loop to batch, worth both lines' round trips", () => {
  const found = diagnosed(600).filter((f) => f.rule === 'redis-n-plus-one');
  assert.equal(found.length, 1);
  const [loop] = found;
  assert.deepEqual([loop?.location?.line], [4]);
  assert.match(
    loop?.title ?? '',
    /makes 2 Redis round trips per item \(N\+1\) from .*reminders\.js:4 .*in the loop at line 3, at lines 4 and 6: 1,200 of 1,200 Redis round trips for 50 items/,
  );
  assert.deepEqual(
    loop?.evidence.slice(0, 2).map((e) => `${e.label} ${e.value}`),
    ['600× EXISTS reminder:? (line 4)', '600× HGETALL prefs:? (line 6)'],
  );
  // 1,200 round trips of 0.4 ms, less one batched call per line
  assert.equal(Math.round(loop?.savesMs ?? 0), 479);
});

test("round trips past the probe's limit, only counted, are taken to be like the ones kept", () => {
  const [loop] = diagnosed(600, 1_200).filter((f) => f.rule === 'redis-n-plus-one');
  assert.match(loop?.title ?? '', /1,200 of 1,200 Redis round trips kept one by one \(1,200 more were only counted\)/);
  assert.equal(Math.round(loop?.savesMs ?? 0), 959);
  assert.match(
    loop?.evidence.find((e) => e.label === 'time in these calls')?.value ?? '',
    /about 960 ms with the ones only counted/,
  );
});

test('a loop that reads the same key for every item is an N+1 all the same: one round trip per item', () => {
  // every appointment of the day belongs to one patient: the loop still goes to Redis twice per item
  const [loop] = diagnosed(600, undefined, true).filter((f) => f.rule === 'redis-n-plus-one');
  assert.ok(loop);
  assert.equal(loop.location?.line, 4);
  assert.match(loop.evidence[0]?.value ?? '', /the same key every time/);
  assert.match(loop.suggestion ?? '', /read once/);
});

test('SCAN sent again with each cursor from one line walks the keyspace: named so, with a key of its own as the fix', () => {
  // recently played: a scan stream over play:<user>:* made at line 25, its SCANs sent from the stream's reads
  const made: SourceLocation = { file: '/app/lib/activity.js', line: 25, column: 26, functionName: 'collectKeys' };
  const redis: RedisCallRecord[] = Array.from({ length: 1_297 }, (_, i) => ({
    client: 'ioredis',
    command: 'SCAN',
    key: '?',
    commands: 1,
    startMs: i,
    durationMs: 0.3,
    location: made,
    valuesKey: `SCAN${i}`,
  }));
  const record = request({ url: '/recently-played', wallMs: 700, cpuMs: 200, items: 20, redis });
  // the server's router awaits the handler inside its loop over routes: not the loop that repeats the SCANs
  const router: SourceLocation = { file: '/app/server.js', line: 84, column: 13, functionName: 'handle' };
  for (const call of redis) call.stack = [made, router];
  const sources: Record<string, string> = {
    '/app/server.js': `${'\n'.repeat(78)}  for (const route of routes) {\n${'\n'.repeat(4)}      await route.handle(req, res);\n  }`,
    '/app/lib/activity.js': `${'\n'.repeat(24)}    const stream = redis.scanStream({ match, count: 200 });`,
  };
  const [walk] = diagnoseFully(capture([record]), rules, (file) => sources[file]).findings.filter(
    (f) => f.rule === 'redis-n-plus-one',
  );
  assert.equal(walk?.location?.line, 25);
  assert.match(walk?.title ?? '', /walks the Redis keyspace with 1,297 SCAN round trips from .*activity\.js:25/);
  assert.doesNotMatch(walk?.title ?? '', /N\+1/);
  assert.match(walk?.suggestion ?? '', /^Stop walking the keyspace on the request: keep the keys/);
});

test("one line's HTTP calls whose paths differ in a code, not an id, are one endpoint called per item", () => {
  const file = '/app/src/quotes.ts';
  const source = [
    'export async function offers(partners, req) {',
    '  const found = [];',
    '  for (const partner of partners) {',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of an app file, not a template
    '    found.push(await client.post(`${gateway}/carriers/${partner.code}/v2/rates`, req));',
    '  }',
    '  return found;',
    '}',
  ].join('\n');
  const codes = ['amzl', 'apc', 'dpd', 'evri', 'fedex', 'gls', 'hermes', 'parcelforce'];
  const http: HttpCallRecord[] = codes.map((code, i) => ({
    client: 'http',
    method: 'POST',
    origin: 'http://127.0.0.1:4100',
    path: `/carriers/${code}/v2/rates`,
    url: `/carriers/${code}/v2/rates`,
    status: 200,
    startMs: 5 + i * 20,
    durationMs: 19,
    location: { file, line: 4, column: 23, functionName: 'offers' },
  }));
  const record = request({ method: 'POST', url: '/api/quotes', wallMs: 180, cpuMs: 20, items: codes.length, http });
  const read = (path: string) => (path === file ? source : undefined);
  const found = diagnoseFully(capture([record]), rules, read).findings.filter((f) => f.rule === 'http-n-plus-one');
  assert.equal(found.length, 1);
  assert.equal(found[0]?.location?.line, 4);
  assert.match(found[0]?.title ?? '', /one HTTP call per item \(N\+1\).* 8 of 8 HTTP calls for 8 items/);
  assert.equal(found[0]?.evidence[0]?.value, 'POST http://127.0.0.1:4100/carriers/:param/v2/rates');
  // calls from one line to paths of other lengths stay apart: no template joins them
  const two = [http[0], { ...(http[1] as HttpCallRecord), path: '/carriers/apc/v2/rates/bulk' }] as HttpCallRecord[];
  const apart = diagnoseFully(capture([request({ ...record, http: two, items: 2 })]), rules, read).findings;
  assert.equal(apart.filter((f) => f.rule === 'http-n-plus-one').length, 0);
});
