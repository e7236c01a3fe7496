/**
 * One Redis command that held the request (and Redis, for every client, since it runs one command at a time):
 * a command whose work grows with the data it walks (`KEYS` over the whole keyspace, `SMEMBERS` or `HGETALL`
 * of a collection grown large, `LRANGE 0 -1`). Redis answers a key lookup in microseconds, so tens of
 * milliseconds in one round trip is the command's own size, fixed in the app: page it, or keep what it
 * computes. Batches (a pipeline, MULTI) are the fix for round trips, not this. Pure.
 */
import type { Finding, RequestRecord } from '../../capture/types.js';
import { clampShare, formatBytes, formatMs, formatPercent, formatPlace } from '../evidence.js';
import { type OperationFact, redisShape } from '../facts/operation-facts.js';
import { answered } from '../facts/request-facts.js';
import { requestTimeMs } from '../facts/request-time.js';
import { type Rule, severityFor } from '../rule.js';
import { settings } from '../settings.js';

/** What each command that walks a whole key or keyspace should become. */
const WALKS: Record<string, string> = {
  KEYS: 'KEYS walks every key in the database while every other client waits: keep the keys you need in a set (SADD when written, SREM when gone) and read that, or SCAN in pages off the request path; for a count, keep a counter (INCR/DECR)',
  SMEMBERS:
    'SMEMBERS returns the whole set: read a page (SSCAN), test members (SISMEMBER / SMISMEMBER), or count them (SCARD)',
  HGETALL: 'HGETALL returns the whole hash: read the fields needed (HMGET), a page (HSCAN), or the count (HLEN)',
  HKEYS: 'HKEYS returns every field of the hash: read a page (HSCAN) or the count (HLEN)',
  HVALS: 'HVALS returns every value of the hash: read the fields needed (HMGET) or a page (HSCAN)',
  LRANGE: 'LRANGE over the whole list returns all of it: read a bounded range (LRANGE key 0 49) or the length (LLEN)',
  ZRANGE:
    'a ZRANGE over the whole sorted set returns all of it: bound it (a LIMIT, a score range) or count (ZCARD, ZCOUNT)',
  ZRANGEBYSCORE: 'ZRANGEBYSCORE returns every member in the range: add LIMIT offset count, or count (ZCOUNT)',
  ZREVRANGE: 'a ZREVRANGE over the whole sorted set returns all of it: bound the range, or count (ZCARD)',
  SUNION:
    'SUNION reads every member of every set it joins: keep the union up to date on write (SUNIONSTORE when they change)',
  SINTER: 'SINTER reads the sets it intersects: keep the result on write, or intersect smaller sets first',
  SORT: 'SORT sorts the whole key on every call: keep the order in a sorted set (ZADD) and read a range',
};

/** Slower than this, a single Redis command is no lookup: its size is the cost. */
const SLOW_COMMAND_MS = 20;

/**
 * Commands that touch one key or field and answer with what it holds (not those that write a list of members
 * or fields, whose work grows with it behind a short reply): Redis runs them in microseconds
 * whatever the keyspace. With a small reply, a long wait on one is not its own work but a queue: Redis busy
 * with another client's command, or this process not scheduled (a loaded machine), so nothing in the
 * request's code is to change.
 */
const KEY_LOOKUPS = new Set(
  [
    'GET SET SETEX PSETEX SETNX GETEX GETSET GETDEL MGET EXISTS TTL PTTL EXPIRE PEXPIRE INCR INCRBY DECR DECRBY',
    'HGET HMGET HEXISTS HINCRBY SISMEMBER SMISMEMBER ZSCORE ZINCRBY ZRANK LLEN SCARD ZCARD HLEN PING',
  ]
    .join(' ')
    .split(' '),
);
/** A reply this size or more is itself the work of a lookup (a large value read and sent). */
const LARGE_REPLY_BYTES = 64 * 1024;

/** A lookup of one key whose reply is known to be small: its wait is a queue, not its work. */
function queuedLookup(op: OperationFact, command: string): boolean {
  return KEY_LOOKUPS.has(command) && op.replyBytes !== undefined && op.replyBytes < LARGE_REPLY_BYTES;
}

function isBatch(op: OperationFact): boolean {
  return (op.commands ?? 1) > 1 || op.command === 'PIPELINE' || op.command === 'MULTI';
}

/**
 * What one call of a command shape takes in a run: the median of its calls there. A command the request
 * repeats (one GET per item) is as quick as its typical call; one call of a hundred caught by a loaded
 * machine's descheduling is not the command's size.
 */
function typicalCallMs(durations: readonly number[]): number {
  const sorted = [...durations].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

function isSlowCall(ms: number, requestMs: number): boolean {
  if (ms < SLOW_COMMAND_MS) return false;
  return ms >= settings.slowQueryMs || ms >= settings.slowQueryShare * 0.4 * requestMs;
}

/** The runs in which the command's typical call was slow too, of those that issued it. */
function slowRuns(runs: readonly RequestRecord[], label: string): { slow: number; issued: number } {
  let slow = 0;
  let issued = 0;
  for (const run of runs) {
    const durations = (run.redis ?? []).filter((call) => redisShape(call) === label).map((c) => c.durationMs);
    if (durations.length === 0) continue;
    issued++;
    if (isSlowCall(typicalCallMs(durations), requestTimeMs(run))) slow++;
  }
  return { slow, issued };
}

/**
 * A command slow in its typical call, in most of the runs that issued it: a wait that long once, on a
 * machine shared with other work, is the machine's.
 */
function slowCommands(remote: readonly OperationFact[], runs: readonly RequestRecord[], requestMs: number) {
  const byLabel = new Map<string, OperationFact[]>();
  for (const op of remote) {
    if (op.kind !== 'redis' || isBatch(op)) continue;
    byLabel.set(op.label, [...(byLabel.get(op.label) ?? []), op]);
  }
  const slow: OperationFact[] = [];
  for (const [label, ops] of byLabel) {
    if (!isSlowCall(typicalCallMs(ops.map((op) => op.durationMs)), requestMs)) continue;
    const { slow: slowIn, issued } = slowRuns(runs, label);
    if (issued > 0 && slowIn * 2 <= issued) continue;
    slow.push(ops.reduce((a, b) => (b.durationMs > a.durationMs ? b : a)));
  }
  return slow;
}

export const slowRedisCommand: Rule = {
  id: 'slow-redis-command',
  kind: 'cause',
  describe: `one Redis command (not a batch) takes >= ${SLOW_COMMAND_MS} ms in its typical call, in most runs, and >= ${formatPercent(settings.slowQueryShare * 0.4)} of its request, or >= ${settings.slowQueryMs} ms`,
  run(facts) {
    return facts.requests.filter(answered).flatMap(({ request, endpoint, remote, runs }): Finding[] => {
      const requestMs = requestTimeMs(request);
      return slowCommands(remote, runs, requestMs).map((op) => {
        const command = op.command ?? op.label.split(' ')[0] ?? '';
        const walks = WALKS[command];
        const queued = queuedLookup(op, command);
        const place = op.site ?? op.statementLine ?? op.chain.at(-1);
        const savesMs = Math.min(requestMs, op.durationMs * 0.9);
        const finding: Finding = {
          endpoint,
          rule: slowRedisCommand.id,
          severity: walks ? severityFor(savesMs, requestMs) : queued ? 'info' : 'warning',
          title: `${endpoint} waits ${formatMs(op.durationMs)} on one Redis command, ${op.label}${place ? ` at ${formatPlace(place)}` : ''}${walks ? `: ${command} reads the whole ${command === 'KEYS' ? 'keyspace' : 'key'} on every call` : queued ? `: a lookup of one key with a ${formatBytes(op.replyBytes ?? 0)} reply, which Redis answers in microseconds, so the wait was a queue (Redis busy with another client's command, or this process not scheduled), not its work` : ''}`,
          impact: clampShare(savesMs / Math.max(requestMs, 1e-9)),
          savesMs,
          evidence: [
            { label: 'command', value: op.label },
            { label: 'time', value: `${formatMs(op.durationMs)} of ${formatMs(request.wallMs)}` },
            ...(op.replyBytes !== undefined ? [{ label: 'reply', value: formatBytes(op.replyBytes) }] : []),
          ],
          suggestion: walks
            ? `${walks}.`
            : queued
              ? `Nothing in this command to change. If the wait repeats on a quiet machine, look for a slow command of another client in Redis's SLOWLOG GET (KEYS, a large SMEMBERS or HGETALL, a long script) and for a busy Redis CPU (INFO cpu).`
              : `One command this slow walks a large key or runs a long script: check it in Redis's SLOWLOG GET and read less per call (a page, the fields needed), or keep the answer up to date when the data changes.`,
        };
        if (place) finding.location = place;
        else finding.noAppLine = 'the command carries no application frame';
        return finding;
      });
    });
  },
};
