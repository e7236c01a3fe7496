import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryRecord } from '../../capture/types.js';
import { factsOf } from '../facts/request-facts.js';
import { capture, request } from '../test-support/captures.js';
import { largePayload } from './large-payload.js';

// A TypeScript handler that runs its query inline and shapes each row, with a PDF inlined as base64, under data.items.
const handler = `import type { Context } from 'hono';
export async function ledger(c: Context) {
  const { rows: entries } = await pool.query(
    'SELECT * FROM ledger WHERE account = $1',
    [c.req.param('account')],
  );
  const shaped = entries.map((e) => ({ ...e, receipt: e.receipt_pdf.toString('base64') }));
  return c.json({
    data: {
      total: entries.length,
      items: shaped,
    },
  });
}`;
const sources: Record<string, string> = { '/srv/api/ledger.ts': handler };
const readSource = (file: string) => sources[file];

const ledgerQuery: QueryRecord = {
  driver: 'pg',
  sql: 'SELECT * FROM ledger WHERE account = $1',
  durationMs: 40,
  rows: 1200,
  stack: [{ file: '/srv/api/ledger.ts', line: 3, column: 37, functionName: 'ledger' }],
};

function findingFor(bytes: number, items: number) {
  const record = request({ url: '/ledger/7', wallMs: 900, cpuMs: 700, bytes, items, itemsPath: 'data.items' });
  record.queries = [ledgerQuery];
  const [finding] = largePayload.run(factsOf(capture([record]), readSource));
  assert.ok(finding, 'a large payload');
  return finding;
}

test('items that each carry a blob: the line that shapes the rows into the items', () => {
  // 1,200 items of 20 KB: what each carries is the fix, made where they are shaped
  const finding = findingFor(24_000_000, 1200);
  assert.equal(finding.location?.line, 11);
  assert.match(finding.title, /shaped at .*ledger\.ts:11 .*from the rows loaded at .*ledger\.ts:3/);
});

test('many small items: the query that loaded them, where a page belongs', () => {
  // 1,200 items of 1 KB: a row's fields each, paged in SQL
  const finding = findingFor(1_200_000, 1200);
  assert.equal(finding.location?.line, 3);
});

test('without the source the query is named whatever the items carry', () => {
  const record = request({ url: '/ledger/7', wallMs: 900, cpuMs: 700, bytes: 24_000_000, items: 1200 });
  record.itemsPath = 'data.items';
  record.queries = [ledgerQuery];
  const [finding] = largePayload.run(factsOf(capture([record])));
  assert.equal(finding?.location?.line, 3);
});

test('a cache served the typical run: the query of the run that missed it loaded the items', () => {
  const cold = request({ id: 1, url: '/ledger/7', wallMs: 1400, cpuMs: 900, bytes: 1_200_000, items: 1200 });
  cold.queries = [ledgerQuery];
  const warm = [2, 3].map((id) =>
    request({ id, url: '/ledger/7', wallMs: 600, cpuMs: 550, bytes: 1_200_000, items: 1200 }),
  );
  const [finding] = largePayload.run(factsOf(capture([cold, ...warm])));
  assert.equal(finding?.location?.line, 3);
  assert.ok(finding?.evidence.some((e) => e.label === 'cached'));
  // no run loaded them: no line, said so
  const [unknown] = largePayload.run(factsOf(capture(warm)));
  assert.equal(unknown?.location, undefined);
  assert.match(unknown?.noAppLine ?? '', /no query supplied the body/);
});

test('a body of a whole table’s rows: a page saves their building and shaping, not only the serializing', () => {
  // an unpaged list of 30,000 posts with their 150,000 replies loaded: 40 MB, 20 s of CPU building entities
  const replies: QueryRecord = {
    driver: 'mysql',
    sql: 'SELECT * FROM replies WHERE post_id IN (?)',
    durationMs: 1500,
    rows: 150_000,
    stack: [{ file: '/srv/api/posts.ts', line: 12, column: 5, functionName: 'list' }],
  };
  const whole = request({ url: '/posts', wallMs: 30_000, cpuMs: 20_000, bytes: 40_000_000, queries: [replies] });
  delete whole.items; // over the probe's parse limit: not counted
  const [paged] = largePayload.run(factsOf(capture([whole])));
  assert.equal(paged?.severity, 'critical');
  // a body this large is not parsed for items: the count is unknown, not one
  assert.match(paged?.evidence.find((e) => e.label === 'items')?.value ?? '', /^not counted/);
  assert.ok((paged?.impact ?? 0) >= 0.5, `a page saves most of the request, not ${paged?.impact}`);
  // 40 MB of few rows (large documents): only the serializing is saved
  const documents = request({
    url: '/documents',
    wallMs: 30_000,
    cpuMs: 20_000,
    bytes: 40_000_000,
    queries: [{ ...replies, rows: 40 }],
  });
  const [blobs] = largePayload.run(factsOf(capture([documents])));
  assert.ok((blobs?.impact ?? 1) < 0.1);
});
