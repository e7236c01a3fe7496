// A shared "get these keys" helper (a key-value store over SQL) called once by each part of a listing page:
// the topics, their authors, the authors' settings, the categories, the last posts. One statement text, ten
// calls, each with a list of keys and its own path of app lines: separate batched lookups, not an N+1. The same
// batched statement called once per item from one loop is still one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryRecord, SourceLocation } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { capture, request } from '../test-support/captures.js';

const store = '/app/src/store/hash.js';
const fetchKeys: SourceLocation = { file: store, line: 40, column: 9, functionName: 'getObjectsFields' };
const allFields: SourceLocation = { file: store, line: 20, column: 9, functionName: 'getObjects' };
const handler: SourceLocation = { file: '/app/src/controllers/list.js', line: 12, column: 3, functionName: 'list' };
// the page's one line that starts every lookup at once (a Promise.all)
const page: SourceLocation = { file: '/app/src/controllers/list.js', line: 30, column: 3, functionName: 'load' };
const sql = 'SELECT h.data FROM UNNEST($1::text[]) WITH ORDINALITY k(key, i) LEFT JOIN kv_hash h ON h.key = k.key';

function lookup(caller: string, line: number, rows: number, extra: SourceLocation[] = []): QueryRecord {
  const from: SourceLocation = { file: `/app/src/${caller}.js`, line, column: 7, functionName: caller };
  return {
    driver: 'pg',
    sql,
    params: [[`${caller}:${line}`]],
    durationMs: 4,
    rows,
    stack: [fetchKeys, allFields, from, ...extra, page, handler],
  };
}

function nPlusOne(queries: QueryRecord[], items: number) {
  const record = request({ url: '/list', wallMs: 120, cpuMs: 30, items, queries });
  return diagnoseFully(capture([record]), rules).findings.find((f) => f.rule === 'n-plus-one');
}

test('one batched lookup from each of ten places of a page is not an N+1', () => {
  const callers = [
    'topics',
    'users',
    'settings',
    'categories',
    'posts',
    'teasers',
    'thumbs',
    'tags',
    'votes',
    'follows',
  ];
  const queries = callers.map((caller, i) => lookup(caller, 10 + i, i % 2 ? 20 : 2));
  assert.equal(nPlusOne(queries, 20), undefined);
});

test('the same batched statement once per item from one loop is an N+1', () => {
  const loop: SourceLocation = { file: '/app/src/posts.js', line: 30, column: 5, functionName: 'withVoters' };
  const queries = Array.from({ length: 20 }, () => lookup('voters', 8, 5, [loop]));
  assert.equal(nPlusOne(queries, 20)?.rule, 'n-plus-one');
});

test('a row per call, or a statement without a list of keys, from separate places stays with the count', () => {
  const callers = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
  const single = callers.map((caller, i) => lookup(caller, i + 1, 1));
  assert.equal(nPlusOne(single, 10)?.rule, 'n-plus-one');
  const scalar = callers.map((caller, i) => ({
    ...lookup(caller, i + 1, 20),
    sql: 'SELECT data FROM kv_hash WHERE key = $1',
  }));
  assert.equal(nPlusOne(scalar, 10)?.rule, 'n-plus-one');
});

test("a loop of the helper beside separate calls of it: only the loop's repeats are counted", () => {
  const loop: SourceLocation = { file: '/app/src/posts.js', line: 30, column: 5, functionName: 'withVoters' };
  const looped = Array.from({ length: 12 }, () => lookup('voters', 8, 1, [loop]));
  const separate = ['topics', 'users', 'settings', 'categories', 'posts'].map((caller, i) =>
    lookup(caller, 10 + i, 20),
  );
  assert.match(nPlusOne([...separate.slice(0, 2), ...looped, ...separate.slice(2)], 20)?.title ?? '', / 12 times /);
});
