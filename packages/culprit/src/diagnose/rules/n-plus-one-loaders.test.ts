// A batch loader (DataLoader) made anew for each load batches one key: its batch function's statement runs
// once per item, and the line to change is where the loader is made per call, not the statement.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProfileData, QueryRecord } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { capture, profileFunction, request } from '../test-support/captures.js';

const LOADERS = [
  "const DataLoader = require('dataloader');", // 1
  "const db = require('./db');",
  '',
  'function memberLoader() {', // 4
  '  return new DataLoader(async (ids) => {',
  '    const rows = await db.members.whereIdIn(ids);', // 6
  '    return ids.map((id) => rows.find((m) => m.id === id));',
  '  });',
  '}',
  '',
  'function requestLoaders() {', // 11
  '  return { member: memberLoader() };',
  '}',
  'module.exports = { memberLoader, requestLoaders };',
].join('\n');

const resolvers = (perCall: boolean) =>
  [
    "const { memberLoader } = require('./loaders');", // 1
    'module.exports = {',
    '  Comment: {',
    perCall
      ? '    author: (comment) => memberLoader().load(comment.memberId),' // 4
      : '    author: (comment, _args, ctx) => ctx.loaders.member.load(comment.memberId),',
    '  },',
    '};',
  ].join('\n');

const loadersFile = '/app/src/graphql/loaders.js';
const resolversFile = '/app/src/graphql/resolvers.js';
const batchLine = { file: loadersFile, line: 6, column: 30, functionName: 'batch' };

/** A thread page of `comments` comments whose authors each came from a batch of one; `made` loaders per request. */
function threadPage(perCall: boolean, comments: number, made: number) {
  const queries: QueryRecord[] = Array.from({ length: comments }, (_, i) => ({
    driver: 'pg',
    sql: 'SELECT * FROM members WHERE id = ANY($1)',
    params: [[i + 1]],
    durationMs: 1.5,
    rows: 1,
    location: batchLine,
  }));
  const counted = 2;
  const profile: ProfileData = {
    sampleIntervalUs: 1000,
    requestCount: counted,
    durationMs: 200,
    countedRequests: counted,
    functions: [
      profileFunction('(root)', '', 0, 'root'),
      profileFunction('memberLoader', loadersFile, 4, 'app', { calls: made * counted }),
      profileFunction('author', resolversFile, 4, 'app', { calls: comments * counted }),
    ],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: 10 },
      { fn: 1, parent: 0, selfSamples: 5, selfMs: 5, totalMs: 5 },
      { fn: 2, parent: 0, selfSamples: 5, selfMs: 5, totalMs: 5 },
    ],
  };
  const traced = request({ url: '/graphql?query=%7Bthread%7D', wallMs: 160, cpuMs: 60, items: comments, queries });
  const read = (path: string) =>
    path === loadersFile ? LOADERS : path === resolversFile ? resolvers(perCall) : undefined;
  return diagnoseFully(capture([traced], profile), rules, read).findings;
}

test('a loader made for each load is named where the resolver makes it and loads from it at once', () => {
  const found = threadPage(true, 120, 120);
  const nPlusOne = found.find((f) => f.rule === 'n-plus-one');
  assert.ok(nPlusOne, found.map((f) => f.title).join('\n'));
  assert.deepEqual([nPlusOne.location?.file, nPlusOne.location?.line], [resolversFile, 4]);
  assert.match(nPlusOne.title, /DataLoader that never batches/);
  assert.match(nPlusOne.title, /memberLoader\(\) at \/app\/src\/graphql\/loaders\.js:5/);
  assert.match(nPlusOne.suggestion ?? '', /once per request/);
});

test('a loader made once per request keeps the N+1 at its statement: loading one at a time is another cause', () => {
  const found = threadPage(false, 120, 1);
  const nPlusOne = found.find((f) => f.rule === 'n-plus-one');
  assert.ok(nPlusOne, found.map((f) => f.title).join('\n'));
  assert.doesNotMatch(nPlusOne.title, /never batches/);
  assert.equal(nPlusOne.location?.file, loadersFile);
});
