import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Capture, QueryRecord, RequestRecord } from '../capture/types.js';
import { querySites } from './query-sites.js';
import { redactUrl, sanitizeRecord } from './redact.js';
import { renderTrace } from './render-trace.js';

const at = (line: number) => ({ file: '/app/src/views.ts', line, column: 3 });
const q = (sql: string, rows: number, durationMs: number, line: number): QueryRecord => ({
  driver: 'pg',
  sql,
  rows,
  durationMs,
  location: at(line),
  params: [42],
});

/** A trace capture of a module-mode target, around the given requests. */
function traceCapture(framework: string, requests: RequestRecord[]): Capture {
  return {
    schema: 'culprit.capture/1',
    createdAt: '2026-11-24T00:00:00.000Z',
    tool: { name: 'culprit', version: '0.1.0', command: 'trace' },
    target: { mode: 'module', module: 'src/app.ts', framework },
    requests,
  };
}

test('redactUrl keeps names, drops values', () => {
  assert.equal(redactUrl('/api/e/13373/?img=2&expand=~all&flag'), '/api/e/13373/?img=?&expand=?&flag');
  assert.equal(redactUrl('/plain'), '/plain');
});

test('sanitizeRecord normalizes SQL and redacts params unless kept', () => {
  const record = {
    id: 1,
    method: 'GET',
    url: '/x?id=7',
    status: 200,
    wallMs: 1,
    cpuMs: 1,
    bytes: 0,
    queries: [q("SELECT * FROM t WHERE name = 'bob'", 1, 1, 3)],
    constructions: [],
  };
  const redacted = sanitizeRecord(record, false);
  assert.equal(redacted.queries[0]?.sql, 'SELECT * FROM t WHERE name = ?');
  assert.deepEqual(redacted.queries[0]?.params, ['?']);
  assert.equal(redacted.url, '/x?id=?');
  assert.deepEqual(sanitizeRecord(record, true).queries[0]?.params, [42]);
});

test('sanitizeRecord keeps which columns a leading-wildcard LIKE searched, not the pattern', () => {
  const search = { ...q('SELECT * FROM t WHERE title ILIKE $1', 9, 1, 3), params: ['%secret tea%'] };
  const record = { id: 1, method: 'GET', url: '/s', status: 200, wallMs: 1, cpuMs: 1, bytes: 0, constructions: [] };
  const [redacted] = sanitizeRecord({ ...record, queries: [search] }, false).queries;
  assert.deepEqual(redacted?.leadingWildcard, ['title']);
  assert.doesNotMatch(JSON.stringify(redacted), /secret/);
  const prefix = { ...search, params: ['tea%'] };
  assert.equal(sanitizeRecord({ ...record, queries: [prefix] }, false).queries[0]?.leadingWildcard, undefined);
});

test('querySites groups by issuing line, most time first', () => {
  const sites = querySites([q('SELECT a', 1, 1, 10), q('SELECT a', 1, 1, 10), q('SELECT b', 23159, 30, 88)]);
  assert.deepEqual(
    sites.map((s) => [s.location?.line, s.queries, s.rows]),
    [
      [88, 1, 23159],
      [10, 2, 2],
    ],
  );
});

test('renderTrace: one row per request, constructions and query sites with relative paths', () => {
  const capture = traceCapture('express', [
    {
      id: 1,
      method: 'GET',
      url: '/api/ephemera/13373/?img=?',
      status: 200,
      wallMs: 352.4,
      cpuMs: 300.1,
      blockingMs: 290,
      bytes: 2048,
      items: 1,
      queries: [q('SELECT * FROM ephemeron', 23159, 31, 88)],
      constructions: [{ className: 'Ephemeron', count: 23159, location: at(12) }],
    },
  ]);
  const text = renderTrace(capture, { cwd: '/app' });
  assert.match(text, /1\s+GET \/api\/ephemera\/13373\/\?img=\?\s+200\s+352\s+300\s+290\s+2\.0 kB\s+1\s+1\s+23,159/);
  assert.match(text, /Ephemeron\s+23,159\s+src\/views\.ts:12/);
  assert.match(text, /src\/views\.ts:88\s+1×\s+23,159 rows\s+31\.0 ms\s+SELECT \* FROM ephemeron/);
});

test('renderTrace: a failing request shows the head of what it answered', () => {
  const capture = traceCapture('fastify', [
    {
      id: 1,
      method: 'GET',
      url: '/api/ephemera/abc/',
      status: 400,
      wallMs: 2,
      cpuMs: 1,
      bytes: 60,
      queries: [],
      constructions: [],
      bodyHead: '{"error":"id must be a positive integer",\n "parameter":"id"}',
    },
  ]);
  assert.match(
    renderTrace(capture, { cwd: '/app' }),
    /answered 400: \{"error":"id must be a positive integer", "parameter":"id"\}/,
  );
});
