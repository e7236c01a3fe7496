// An ORM attaching preloaded related rows to their parents by scanning every row for every parent: its
// callback runs items × rows times in promise jobs after the reads, where no app frame is on the stack.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProfileData, QueryRecord } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { capture, profileFunction, request } from '../test-support/captures.js';

const orm = { file: '/app/node_modules/orm/build/relations.js', line: 80, column: 1, package: 'orm' };
const handler = { file: '/app/src/posts.ts', line: 14, column: 5, functionName: 'list' };

function read(sql: string, rows: number): QueryRecord {
  return { driver: 'pg', sql, durationMs: 4, rows, stack: [orm, handler] };
}

/** (root) → the ORM's `attach` → its per-pair callback, `calls` of it, 2 profiled requests, no app frame above. */
function matchingProfile(calls: number): ProfileData {
  const fn = (name: string, line: number, category: 'dependency' | 'root', n: number | null) =>
    profileFunction(name, category === 'root' ? '' : orm.file, line, category, {
      calls: n,
      ...(category === 'dependency' ? { package: 'orm' } : {}),
    });
  return {
    sampleIntervalUs: 1000,
    requestCount: 2,
    durationMs: 2000,
    countedRequests: 1,
    functions: [
      fn('(root)', 0, 'root', null),
      fn('attach', 70, 'dependency', 2),
      fn('(anonymous relations.js:72)', 72, 'dependency', calls),
    ],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: 1800 },
      { fn: 1, parent: 0, selfSamples: 100, selfMs: 100, totalMs: 1800 },
      { fn: 2, parent: 1, selfSamples: 1700, selfMs: 1700, totalMs: 1700 },
    ],
  };
}

const reads = [
  read('SELECT * FROM posts', 2000),
  read(
    'SELECT tags.*, post_tags.post_id FROM tags JOIN post_tags ON tags.id = post_tags.tag_id WHERE post_tags.post_id IN (?)',
    6000,
  ),
  read(
    'SELECT users.*, likes.post_id FROM users JOIN likes ON users.id = likes.user_id WHERE likes.post_id IN (?)',
    15000,
  ),
];

function findings(calls: number, items: number) {
  const traced = request({ wallMs: 1200, cpuMs: 1100, items, bytes: 900_000, queries: reads });
  return diagnoseFully(capture([traced], matchingProfile(calls)), rules).findings;
}

test('a library callback run once per item and related row is named, with the reads whose rows it pairs', () => {
  const found = findings(2000 * (6000 + 15000), 2000).find((f) => f.rule === 'call-explosion');
  assert.ok(found, 'the pairing is a finding');
  assert.equal(found.location?.line, 14, 'at the line that loaded the rows');
  assert.match(
    found.title,
    /runs 42,000,000 times per request, once for each of the 2,000 items and each of the 21,000 rows/,
  );
  assert.equal(found.calleePackage, 'orm');
  assert.match(found.suggestion ?? '', /fewer of both/);
});

test('calls that are no product of the items and rows (a hash function’s rounds, one item) say nothing of pairs', () => {
  assert.equal(findings(1_070_000, 1).filter((f) => f.rule === 'call-explosion').length, 0);
  assert.equal(findings(33_333_333, 2000).filter((f) => f.rule === 'call-explosion').length, 0);
});
