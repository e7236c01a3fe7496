import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Capture, QueryRecord } from '../capture/types.js';
import { renderHtmlReport } from './html-report.js';
import { browserSession, noChromium } from './test-support/chromium.js';
import { fakeCapture } from './test-support/fake-capture.js';

// The Requests tab of a request with 100,000 queries kept one by one (an old
// capture, or a hand-made one) plus 900,000 folded: it used to overflow the
// stack spreading one argument per row.
const session = browserSession('culprit-viewer-queries-');
const dir = session.dir;

function manyQueries(kept: number, folded: number): Capture {
  const capture = fakeCapture({ nodes: 200, withFindings: false, withBench: false });
  const location = { file: '/app/src/items.ts', line: 12, column: 5 };
  const queries: QueryRecord[] = Array.from({ length: kept }, () => ({
    driver: 'pg',
    sql: 'SELECT * FROM item WHERE id = ?',
    durationMs: 0.05,
    rows: 1,
    location,
  }));
  const [first] = capture.requests;
  assert.ok(first);
  capture.requests = [
    {
      ...first,
      queries,
      foldedQueries: [
        {
          driver: 'pg',
          sql: 'SELECT * FROM item WHERE id = ?',
          location,
          count: folded,
          rows: folded,
          durationMs: 40,
          errors: 0,
        },
      ],
    },
  ];
  return capture;
}

test('Requests tab: 100,000 kept + 900,000 folded queries open, counted whole', { skip: noChromium }, async () => {
  const file = join(dir, 'queries.html');
  writeFileSync(file, renderHtmlReport(manyQueries(100_000, 900_000)));
  const page = await session.browser().newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`file://${file}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
  await page.click('nav.tabs button[data-view="requests"]');
  await page.waitForSelector('section[data-view="requests"] table.requests tbody tr', { timeout: 20_000 });
  assert.deepEqual(errors, []);
  const row = (await page.textContent('table.requests tbody tr:first-child')) ?? '';
  assert.match(row, /1,000,000/, 'the requests table counts kept and folded queries');
  const detail = (await page.textContent('section[data-view="requests"] .request-detail')) ?? '';
  assert.match(detail, /Queries by shape \(1 shapes, 1,000,000 queries\)/);
  assert.match(detail, /The first 1,000 of 1,000,000 queries/);
  const inOrder = await page
    .locator('section[data-view="requests"] .request-detail table')
    .nth(1)
    .locator('tbody tr')
    .count();
  assert.equal(inOrder, 1_000);
  await page.close();
});
