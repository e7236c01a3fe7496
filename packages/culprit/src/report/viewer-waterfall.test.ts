import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Capture, RequestRecord } from '../capture/types.js';
import { renderHtmlReport } from './html-report.js';
import { artifactsDir, browserSession, noChromium } from './test-support/chromium.js';

// End-to-end in Debian's Chromium: the waterfall of a request with SQL, HTTP,
// Redis and a blocking stretch, reached from a finding.
const session = browserSession('culprit-waterfall-');

const routes = { file: '/srv/app/routes.js', column: 5, functionName: 'dashboard' };
const helper = { file: '/srv/app/api.js', line: 8, column: 3, functionName: 'getJson' };

function request(id: number, wallMs: number): RequestRecord {
  return {
    id,
    method: 'GET',
    url: '/dashboard?id=?',
    status: 200,
    wallMs,
    cpuMs: 5,
    bytes: 300,
    items: 1,
    queries: [
      {
        driver: 'pg',
        sql: 'SELECT * FROM users WHERE id = ?',
        startMs: 1,
        durationMs: 4,
        rows: 1,
        location: { ...routes, line: 11 },
      },
    ],
    http: [20, 21, 22].map((line, i) => ({
      client: 'fetch' as const,
      method: 'GET',
      origin: 'http://orders.internal:4000',
      path: `/part${i}/:id`,
      url: `/part${i}/7`,
      status: 200,
      bytes: 120,
      startMs: 6 + i * 30,
      durationMs: 29,
      location: helper,
      stack: [helper, { ...routes, line, async: true }],
    })),
    redis: [
      {
        client: 'ioredis',
        command: 'MGET',
        key: 'product:?',
        commands: 1,
        startMs: 97,
        durationMs: 1,
        replyBytes: 40,
        location: { ...routes, line: 24 },
      },
    ],
    blocking: [{ startMs: 98, durationMs: 2 }],
    constructions: [],
  };
}

function capture(): Capture {
  return {
    schema: 'culprit.capture/1',
    createdAt: new Date(0).toISOString(),
    tool: { name: 'culprit', version: 'test', command: 'culprit diagnose' },
    target: { mode: 'module', module: 'app.js', framework: 'express' },
    requests: [request(1, 140), request(2, 100), request(3, 120)],
    findings: [
      {
        rule: 'sequential-awaits',
        severity: 'warning',
        endpoint: 'GET /dashboard',
        title: 'GET /dashboard awaits 3 independent HTTP calls one after another <b>x</b>',
        impact: 0.58,
        savesMs: 58,
        location: { ...routes, line: 20 },
        relatedLines: [21, 22],
        evidence: [{ label: 'line 20', value: 'GET http://orders.internal:4000/part0/:id' }],
      },
    ],
  };
}

test('waterfall: rows by app line on the time axis, hover details, a finding marks its rows', {
  skip: noChromium,
}, async () => {
  const file = join(session.dir, 'waterfall.html');
  writeFileSync(file, renderHtmlReport(capture()));
  const page = await session.browser().newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`file://${file}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });

  // the finding links into the waterfall, which opens on the endpoint's typical (median) run
  await page.click('.finding button.to-waterfall');
  assert.equal(await page.getAttribute('nav.tabs button[aria-selected="true"]', 'data-view'), 'waterfall');
  assert.equal(await page.inputValue('section[data-view="waterfall"] select'), '3');
  const rows = page.locator('section[data-view="waterfall"] .wf-row');
  assert.equal(await rows.count(), 6, 'one query, three calls, one Redis round trip, one blocking stretch');
  const kinds = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-kind')));
  assert.deepEqual(kinds, ['sql', 'http', 'http', 'http', 'redis', 'blocking']);
  const heads = await page.locator('section[data-view="waterfall"] .wf-group-head').allTextContents();
  assert.match(heads[1] ?? '', /api\.js:8 \(getJson\) · 3/);
  // the three calls awaited at lines 20-22 are the finding's rows
  assert.equal(await page.locator('section[data-view="waterfall"] .wf-row.wf-marked').count(), 3);

  // bars sit in time order on the axis: each call starts where the previous ended
  const lefts = await page
    .locator('section[data-view="waterfall"] .wf-row[data-kind="http"] .wf-bar')
    .evaluateAll((els) => els.map((el) => el.getBoundingClientRect().left));
  assert.ok((lefts[0] ?? 0) < (lefts[1] ?? 0) && (lefts[1] ?? 0) < (lefts[2] ?? 0), String(lefts));

  // hover: the call, its figures and its stack
  const bar = page.locator('section[data-view="waterfall"] .wf-row[data-kind="http"]').nth(1);
  await bar.hover();
  const tip = (await page.textContent('.tooltip')) ?? '';
  assert.match(tip, /GET http:\/\/orders\.internal:4000\/part1\/:id/);
  assert.match(tip, /starts at \+36\.0 ms · takes 29\.0 ms/);
  assert.match(tip, /routes\.js:21 \(dashboard\)/);
  await page.screenshot({ path: join(artifactsDir, 'waterfall.png') });

  // another run of the request redraws
  await page.selectOption('section[data-view="waterfall"] select', '1');
  assert.match((await page.textContent('section[data-view="waterfall"] p.wf-summary')) ?? '', /140 ms/);
  assert.equal(await page.locator('.finding strong b').count(), 0, 'titles are text, never markup');
  assert.deepEqual(errors, []);
  await page.close();
});
