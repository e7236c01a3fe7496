import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryRecord, RequestRecord } from '../capture/types.js';
import { diagnose } from './diagnose.js';
import { renderFindingsText } from './render-text.js';
import { attachSnippets } from './snippets.js';
import { request as baseRequest, capture } from './test-support/captures.js';

const viewsets = { file: '/app/src/api/viewsets.ts', line: 42, column: 9, functionName: 'getSerializer' };

function query(overrides: Partial<QueryRecord>): QueryRecord {
  return { driver: 'pg', sql: 'SELECT * FROM ephemeron WHERE id = ?', durationMs: 1, rows: 1, ...overrides };
}

function request(overrides: Partial<RequestRecord>): RequestRecord {
  return baseRequest({ url: '/api/ephemera/13373/?img=?', wallMs: 350, cpuMs: 300, bytes: 2000, ...overrides });
}

const storyRequest = request({
  queries: [
    query({ sql: 'SELECT * FROM ephemeron', rows: 231_590, durationMs: 60, location: viewsets }),
    query({ rows: 1, durationMs: 0.4 }),
  ],
  constructions: [
    { className: 'Ephemeron', count: 231_591 },
    { className: 'Person', count: 2 },
  ],
});

test('the story: one item returned, a whole table constructed, blamed on the query site', () => {
  const [first] = diagnose(capture([storyRequest]));
  assert.ok(first);
  assert.equal(first.rule, 'whole-table-load');
  assert.equal(first.severity, 'critical');
  assert.deepEqual(first.location, viewsets);
  assert.match(first.title, /constructs 231,591 Ephemeron objects to return 1 item/);
  assert.match(first.title, /\/app\/src\/api\/viewsets\.ts:42 \(getSerializer\) runs a query that loads 231,590 rows/);
});

test('a clean request of the same endpoint has no finding', () => {
  const clean = request({ wallMs: 100, queries: [query({})], constructions: [{ className: 'Ephemeron', count: 1 }] });
  assert.deepEqual(diagnose(capture([clean])), []);
});

test('a list endpoint that builds one object per returned item is not a table load', () => {
  const list = request({ items: 5000, constructions: [{ className: 'Ephemeron', count: 5000 }] });
  assert.equal(diagnose(capture([list])).filter((f) => f.rule === 'whole-table-load').length, 0);
});

test('N+1: twenty identical queries from one line are reported with their count', () => {
  const queries = Array.from({ length: 20 }, () =>
    query({ sql: 'SELECT * FROM person WHERE id = ?', location: viewsets }),
  );
  const findings = diagnose(capture([request({ queries })]));
  const repeated = findings.find((f) => f.rule === 'n-plus-one');
  assert.ok(repeated);
  assert.match(repeated.title, /same query 20 times/);
});

test('rules judge the median run of an endpoint, not a cold first run', () => {
  const cold = request({ id: 1, wallMs: 900, blockingMs: 800 });
  const warm = [2, 3, 4].map((id) => request({ id, wallMs: 20, blockingMs: 5 }));
  assert.equal(diagnose(capture([cold, ...warm])).filter((f) => f.rule === 'event-loop-blocking').length, 0);
});

test('findings are ranked critical first, then by impact', () => {
  const slow = request({ id: 2, url: '/slow', queries: [query({ durationMs: 300, location: viewsets })], wallMs: 320 });
  const ranked = diagnose(capture([slow, storyRequest]));
  assert.deepEqual(
    ranked.map((f) => f.rule),
    ['whole-table-load', 'slow-query'],
  );
});

test('the text report shows the code around the location, pointing at the line', () => {
  const source = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join('\n');
  const findings = attachSnippets(diagnose(capture([storyRequest])), (file) =>
    file === viewsets.file ? source : undefined,
  );
  const text = renderFindingsText(findings);
  assert.match(text, /> 42 \| line 42/);
  assert.match(text, / {2}39 \| line 39/);
});

test('a parent class counting its subclasses does not make a second finding', () => {
  const withParent = {
    ...storyRequest,
    constructions: [{ className: 'Model', count: 231_605 }, ...storyRequest.constructions],
  };
  const loads = diagnose(capture([withParent])).filter((f) => f.rule === 'whole-table-load');
  assert.equal(loads.length, 1);
  assert.match(loads[0]?.title ?? '', /231,591 Ephemeron/);
});
