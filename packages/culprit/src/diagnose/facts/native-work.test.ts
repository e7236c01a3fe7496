import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProfileData } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { HOT_HEADER, refineLines } from '../refine-lines.js';
import { capture, profileFunction, request } from '../test-support/captures.js';
import { nativeWorkIn } from './native-work.js';

const report = [
  'export function monthlyReport(store, month) {',
  '  const rates = store.rates(month);',
  '  const entries = JSON.parse(store.rawEntries(month));',
  '  const totals = {};',
  '  for (const entry of entries) totals[entry.kind] = (totals[entry.kind] ?? 0) + entry.amount * rates[entry.currency];',
  '  return totals;',
  '}',
  '',
  'export function other() {',
  '  return JSON.stringify({ ok: true });',
  '}',
];

test("the one native call in a function's body is its line; the next function's calls are not its body", () => {
  assert.deepEqual(nativeWorkIn(report, 1), { line: 3, call: 'JSON.parse' });
});

test('no line is guessed for a function with two native calls, none, or on one line', () => {
  const two = ['function copy(a, b) {', '  const x = structuredClone(a);', '  return [x, JSON.stringify(b)];', '}'];
  assert.equal(nativeWorkIn(two, 1), undefined);
  assert.equal(
    nativeWorkIn(['function sum(xs) {', '  let t = 0;', '  for (const x of xs) t += x;', '  return t;', '}'], 1),
    undefined,
  );
  assert.equal(nativeWorkIn(['const f = (s) => JSON.parse(s);'], 1), undefined);
});

test('calls inside strings and comments are not calls; collation and formatting are native work', () => {
  const sorted = [
    'function byName(people) {',
    "  // JSON.parse( is not needed: 'structuredClone(' neither",
    "  const label = 'JSON.stringify(x)';",
    "  return people.sort((a, b) => a.name.localeCompare(b.name, 'de', { sensitivity: 'base' }));",
    '}',
  ];
  assert.deepEqual(nativeWorkIn(sorted, 1), { line: 4, call: 'localeCompare' });
});

test("a CPU finding whose time sits on its function's first line moves to the native call, title and advice too", () => {
  const file = '/app/src/catalogue.ts';
  const source = [
    'export function listing(cache, q) {',
    '  const items = structuredClone(cache.all());',
    '  return items.filter((item) => item.kind === q.kind).slice(0, 20);',
    '}',
  ];
  const [moved] = refineLines(
    [
      {
        rule: 'hot-function',
        severity: 'warning',
        title: `GET /x: listing (${file}:1) takes 60% of the request's CPU`,
        impact: 0.6,
        evidence: [],
        callee: HOT_HEADER,
        suggestion: 'Look for work repeated per item.',
        location: { file, line: 1, column: 17, functionName: 'listing' },
      },
    ],
    (path) => (path === file ? source.join('\n') : undefined),
  );
  assert.equal(moved?.location?.line, 2);
  assert.equal(moved?.title, `GET /x: listing (${file}:2) takes 60% of the request's CPU`);
  assert.match(moved?.suggestion ?? '', /^structuredClone runs in native code at line 2/);
});

test('a hot function run through a one-line transform: named at its native call, not at its first line', () => {
  const file = '/app/src/catalogue/listing.ts';
  const source = [
    "import type { Cache } from './cache';",
    '',
    'export function listing(cache: Cache, kind: string) {',
    '  const prices = cache.prices();',
    '  const items = structuredClone(cache.snapshot());',
    '  for (const item of items) item.price *= prices.rate;',
    '  return items.filter((item) => item.kind === kind).slice(0, 24);',
    '}',
  ].join('\n');
  // every sample of the function on the line it starts at: what V8 reports for a module written on one line
  const profile: ProfileData = {
    sampleIntervalUs: 1000,
    requestCount: 3,
    durationMs: 600,
    countedRequests: 3,
    functions: [
      profileFunction('(root)', '', 0, 'root'),
      profileFunction('handler', '/app/src/routes.ts', 9, 'app', { calls: 3 }),
      profileFunction('listing', file, 3, 'app', { calls: 3, hotLine: 3 }),
    ],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: 480 },
      { fn: 1, parent: 0, selfSamples: 10, selfMs: 10, totalMs: 480 },
      { fn: 2, parent: 1, selfSamples: 470, selfMs: 470, totalMs: 470 },
    ],
  };
  const traced = request({ wallMs: 170, cpuMs: 165, items: 24, bytes: 20_000 });
  const read = (path: string) => (path === file ? source : undefined);
  const [top] = refineLines(diagnoseFully(capture([traced], profile), rules, read).findings, read);
  assert.deepEqual([top?.location?.file, top?.location?.line], [file, 5]);
  assert.match(top?.title ?? '', /listing \(\/app\/src\/catalogue\/listing\.ts:5\)/);
});
