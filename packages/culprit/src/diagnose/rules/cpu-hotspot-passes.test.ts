// A per-item function that runs a whole pass over shared data (an index of the whole catalog) on each call:
// the line to change is its call of the pass, not the pass's own loop. Per-item work over each item's own
// rows adds up to the rows the request read, and keeps its place.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProfileData } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { refineLines } from '../refine-lines.js';
import { capture, profileFunction, request } from '../test-support/captures.js';

const SHOP = [
  'function words(text) {', // 1
  '  return text.toLowerCase().split(/\\W+/).filter(Boolean);',
  '}',
  'function indexCatalog(catalog) {', // 4
  '  const index = new Map();',
  '  for (const product of catalog) {',
  '    for (const word of words(product.title)) index.set(word, [...(index.get(word) ?? []), product.id]);',
  '  }',
  '  return index;',
  '}',
  'async function relatedTo(product, ctx) {', // 11
  '  const catalog = await ctx.catalog();',
  '  const index = indexCatalog(catalog);',
  '  return words(product.title).flatMap((word) => index.get(word) ?? []).slice(0, 5);',
  '}',
].join('\n');
const file = '/app/src/related.js';

/** `items` products on the page, each running a pass of `perPass` calls of words(); the request read `rows` rows. */
function relatedPage(items: number, perPass: number, rows: number, source = SHOP) {
  const counted = 2;
  const profile: ProfileData = {
    sampleIntervalUs: 1000,
    requestCount: counted,
    durationMs: 400,
    countedRequests: counted,
    functions: [
      profileFunction('(root)', '', 0, 'root'),
      profileFunction('resolveField', '/app/node_modules/graphql/execution/execute.js', 500, 'dependency'),
      profileFunction('relatedTo', file, 11, 'app', { calls: items * counted }),
      profileFunction('indexCatalog', file, 4, 'app', { calls: items * counted }),
      profileFunction('words', file, 1, 'app', { calls: (items * perPass + items) * counted }),
    ],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: 360 },
      { fn: 1, parent: 0, selfSamples: 5, selfMs: 5, totalMs: 360 },
      { fn: 2, parent: 1, selfSamples: 5, selfMs: 5, totalMs: 355 },
      { fn: 3, parent: 2, selfSamples: 100, selfMs: 100, totalMs: 350 },
      { fn: 4, parent: 3, selfSamples: 250, selfMs: 250, totalMs: 250 },
    ],
  };
  const traced = request({
    url: '/graphql?query=%7Bproduct(id:7)%7Brelated%7Bid%7D%7D%7D',
    wallMs: 190,
    cpuMs: 180,
    items,
    bytes: 3_000,
    queries: [{ driver: 'pg', sql: 'SELECT * FROM products WHERE id = $1', durationMs: 2, rows, stack: [] }],
  });
  const read = (path: string) => (path === file ? source : undefined);
  return refineLines(diagnoseFully(capture([traced], profile), rules, read).findings, read);
}

test('an index over the whole catalog rebuilt for each item is named where the per-item function builds it', () => {
  const found = relatedPage(15, 800, 1);
  const explosion = found.find((f) => f.rule === 'call-explosion');
  assert.ok(explosion, found.map((f) => `${f.rule}: ${f.title}`).join('\n'));
  assert.deepEqual([explosion.location?.file, explosion.location?.line], [file, 13]);
  assert.match(explosion.title, /indexCatalog runs 15 times per request, once in each call of relatedTo/);
  assert.match(explosion.title, /each run calls words 80[01] times/);
  assert.match(explosion.suggestion ?? '', /Run indexCatalog once/);
});

test("a pass over each item's own rows, which add up to the rows the request read, is not a repeated pass", () => {
  // 15 orders with 800 lines each, all 12,000 lines read by this request: each pass has its own data
  const found = relatedPage(15, 800, 12_000);
  assert.equal(
    found.some((f) => /runs 15 times per request/.test(f.title)),
    false,
    found.map((f) => f.title).join('\n'),
  );
});

test('a pass run twice per request is not repeated work', () => {
  const found = relatedPage(2, 6_000, 1);
  assert.equal(
    found.some((f) => /indexCatalog runs/.test(f.title)),
    false,
    found.map((f) => f.title).join('\n'),
  );
});

test("a pass given each item's own data (the product's reviews) is that item's work, not a pass repeated", () => {
  const perItem = SHOP.replace('const index = indexCatalog(catalog);', 'const index = indexCatalog(product.reviews);');
  const found = relatedPage(15, 800, 1, perItem);
  assert.equal(
    found.some((f) => /indexCatalog runs/.test(f.title)),
    false,
    found.map((f) => f.title).join('\n'),
  );
});
