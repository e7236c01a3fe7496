import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RedisCallRecord, SourceLocation } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { capture, request } from '../test-support/captures.js';

const counter: SourceLocation = { file: '/app/src/presence.js', line: 12, column: 22, functionName: 'onlineCount' };

function diagnosed(calls: RedisCallRecord[], wallMs: number) {
  const record = request({ url: '/presence', wallMs, cpuMs: 40, items: 1, redis: calls });
  return diagnoseFully(capture([record]), rules).findings;
}

test('a KEYS over the whole keyspace that holds the request is named at its line, with a set or SCAN as the fix', () => {
  // "how many users are online": every session key listed to count them
  const keys: RedisCallRecord = {
    client: 'ioredis',
    command: 'KEYS',
    commands: 1,
    startMs: 2,
    durationMs: 420,
    replyBytes: 6_000_000,
    location: counter,
  };
  const [top] = diagnosed([keys], 470);
  assert.equal(top?.rule, 'slow-redis-command');
  assert.equal(top?.severity, 'critical');
  assert.deepEqual([top?.location?.file, top?.location?.line], [counter.file, 12]);
  assert.match(
    top?.title ?? '',
    /waits 420 ms on one Redis command, KEYS at .*presence\.js:12.*: KEYS reads the whole keyspace/,
  );
  assert.match(top?.suggestion ?? '', /keep the keys you need in a set .* or SCAN in pages/);
  assert.ok(top?.evidence.some((e) => e.label === 'reply' && /MB/.test(e.value)));
});

test('quick commands, and a pipeline that batches many, are not slow commands', () => {
  const get: RedisCallRecord = {
    client: 'ioredis',
    command: 'GET',
    key: 'user:?',
    commands: 1,
    startMs: 1,
    durationMs: 0.3,
    location: counter,
  };
  const pipeline: RedisCallRecord = {
    client: 'ioredis',
    command: 'PIPELINE',
    commands: 5_000,
    batch: 'HGETALL ×5000',
    startMs: 2,
    durationMs: 180,
    location: counter,
  };
  assert.equal(diagnosed([get, pipeline], 220).filter((f) => f.rule === 'slow-redis-command').length, 0);
});

const get = (durationMs: number, startMs: number): RedisCallRecord => ({
  client: 'ioredis',
  command: 'GET',
  key: 'product:?',
  commands: 1,
  startMs,
  durationMs,
  location: counter,
});

test('one call of a command the request repeats, caught by a loaded machine, is not a slow command', () => {
  // a cart reads each product with its own GET; the 17th waited 31 ms while the machine ran other work
  const calls = Array.from({ length: 40 }, (_, i) => get(i === 17 ? 31 : 0.4, 2 + i));
  const findings = diagnosed(calls, 90);
  assert.equal(findings.filter((f) => f.rule === 'slow-redis-command').length, 0);
  assert.equal(findings[0]?.rule, 'redis-n-plus-one');
});

test('a single command slow in one run of three is the machine; slow in most runs it is the command', () => {
  const mget = (durationMs: number): RedisCallRecord => ({
    client: 'ioredis',
    command: 'MGET',
    key: 'product:?',
    commands: 1,
    startMs: 2,
    durationMs,
    location: counter,
  });
  const run = (ms: number) => request({ url: '/cart', wallMs: ms + 8, cpuMs: 6, items: 1, redis: [mget(ms)] });
  const slowOf = (runs: number[]) =>
    diagnoseFully(capture(runs.map(run)), rules).findings.filter((f) => f.rule === 'slow-redis-command');
  assert.equal(slowOf([0.6, 24, 0.7]).length, 0);
  assert.equal(slowOf([24, 0.6, 0.7]).length, 0);
  const [slow] = slowOf([45, 52, 0.7]);
  assert.match(slow?.title ?? '', /waits [\d.]+ ms on one Redis command, MGET product:\?/);
});

test('a lookup of one key with a small reply, slow in every run, waited in a queue: info, nothing to change in it', () => {
  const lookup = (replyBytes: number, durationMs: number): RedisCallRecord => ({
    client: 'node-redis',
    command: 'GET',
    key: 'session:?',
    commands: 1,
    startMs: 1,
    durationMs,
    replyBytes,
    location: counter,
  });
  const slowOf = (replyBytes: number) =>
    diagnoseFully(
      capture(
        [41, 38, 45].map((ms, id) =>
          request({ id, url: '/me', wallMs: ms + 6, cpuMs: 4, items: 1, redis: [lookup(replyBytes, ms)] }),
        ),
      ),
      rules,
    ).findings.filter((f) => f.rule === 'slow-redis-command');
  const [small] = slowOf(180);
  assert.equal(small?.severity, 'info');
  assert.match(small?.title ?? '', /a lookup of one key with a 180 B reply, .* the wait was a queue/);
  assert.match(small?.suggestion ?? '', /^Nothing in this command to change/);
  // a value of megabytes is the lookup's own work: read and sent on every call
  const [large] = slowOf(3_000_000);
  assert.equal(large?.severity, 'warning');
  assert.doesNotMatch(large?.title ?? '', /queue/);
});
