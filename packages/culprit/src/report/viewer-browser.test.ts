import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { summarizeRoutes } from '../watch/route-summary.js';
import { RouteTable } from '../watch/route-table.js';
import { renderHtmlReport } from './html-report.js';
import { artifactsDir, browserSession, noChromium } from './test-support/chromium.js';
import { fakeCapture } from './test-support/fake-capture.js';

// End-to-end in Debian's Chromium: what a user sees and clicks in the report.
const session = browserSession('culprit-viewer-');
const dir = session.dir;
before(() => {
  mkdirSync(artifactsDir, { recursive: true });
});

async function openReport(name: string, html: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, html);
  const page = await session.browser().newPage({ viewport: { width: 1400, height: 900 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`file://${file}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
  return { page, requests, errors };
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(artifactsDir, `${name}.png`) });
const tab = (page: Page, id: string) => page.click(`nav.tabs button[data-view="${id}"]`);

test('findings first, then zoom, search, table sort, sunburst, sandwich, requests', { skip: noChromium }, async () => {
  const { page, requests, errors } = await openReport('single', renderHtmlReport(fakeCapture({ nodes: 3000 })));
  // Findings open first, with the source line of the culprit marked.
  assert.equal(await page.getAttribute('nav.tabs button[aria-selected="true"]', 'data-view'), 'overview');
  assert.match((await page.textContent('.finding.critical')) ?? '', /loads the whole ephemera table/);
  assert.match((await page.textContent('.finding.critical .snippet .mark')) ?? '', /44\s+if \(this\.queryset/);
  await shot(page, 'findings');

  // Icicle: hover shows a tooltip with exact figures, click zooms, breadcrumb follows.
  await tab(page, 'icicle');
  const canvas = page.locator('section[data-view="icicle"] canvas');
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + 18 * 5 + 9);
  const tip = await page.textContent('.tooltip');
  assert.match(tip ?? '', /total .* ms/);
  const hovered = (await page.textContent('.tooltip strong')) ?? '';
  await page.mouse.click(box.x + 20, box.y + 18 * 5 + 9);
  const crumbs = await page.locator('section[data-view="icicle"] .crumb').allTextContents();
  assert.equal(crumbs.length, 6);
  assert.equal(crumbs.at(-1), hovered);
  await shot(page, 'icicle-zoomed');
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('section[data-view="icicle"] .crumb').count(), 5);

  // Search highlights and sums the matched share.
  await page.fill('header input[type="search"]', 'Ephemera');
  assert.match((await page.textContent('.search-info')) ?? '', /^\d[\d,]* frames match · [\d.]+% of time/);
  await tab(page, 'flame');
  await shot(page, 'flame-search');
  await page.fill('header input[type="search"]', '');

  // Table: sort by ncalls puts the 231,590 constructor first; clicking again reverses.
  await tab(page, 'table');
  await page.click('th[data-key="ncalls"]');
  assert.equal(await page.textContent('table.pstats tbody tr:first-child td:first-child'), '231,590');
  assert.match((await page.textContent('table.pstats tbody tr:first-child')) ?? '', /ephemera\.ts:12\(Ephemera\)/);
  await shot(page, 'table');
  await page.click('th[data-key="ncalls"]');
  assert.notEqual(await page.textContent('table.pstats tbody tr:first-child td:first-child'), '231,590');
  await page.focus('table.pstats tbody tr:first-child');
  await page.keyboard.press('ArrowDown');
  assert.equal(
    await page.getAttribute('table.pstats tbody tr.selected', 'data-fn'),
    await page.getAttribute('table.pstats tbody tr:nth-child(2)', 'data-fn'),
  );
  await page.fill('section[data-view="table"] input[type="search"]', 'getSerializer');
  assert.equal(await page.locator('table.pstats tbody tr').count(), 1);

  // Table → sandwich: double-click selects the function and opens its callers and callees.
  await page.dblclick('table.pstats tbody tr:first-child');
  assert.equal(await page.textContent('section[data-view="sandwich"] h2'), 'EphemeraViewSet.getSerializer');
  assert.equal(await page.isVisible('section[data-view="sandwich"]'), true);
  await shot(page, 'sandwich');

  await tab(page, 'sunburst');
  await page.locator('input[name="depth"]').fill('4');
  assert.equal(await page.textContent('section[data-view="sunburst"] output'), '4');
  await shot(page, 'sunburst');

  await tab(page, 'bottom-up');
  await shot(page, 'bottom-up');

  await tab(page, 'requests');
  assert.match((await page.textContent('.request-detail')) ?? '', /FROM "ephemera" "e"/);
  assert.equal(await page.locator('canvas.histogram').count(), 1);
  await shot(page, 'requests');

  // --when stacks: frames innermost first, with their locals and source.
  await tab(page, 'stacks');
  assert.match((await page.textContent('section[data-view="stacks"]')) ?? '', /19,999 hits before the condition held/);
  assert.match(
    (await page.textContent('section[data-view="stacks"] details:nth-of-type(3)')) ?? '',
    /this\.queryset.*QuerySet<Ephemera> \(lazy\)/,
  );
  await shot(page, 'stacks');

  // Keyboard: digits switch tabs, t toggles the theme.
  await page.locator('body').press('2');
  assert.equal(await page.getAttribute('nav.tabs button[aria-selected="true"]', 'data-view'), 'icicle');
  await page.locator('body').press('t');
  const theme = await page.getAttribute('html', 'data-theme');
  await shot(page, `icicle-${theme}`);

  assert.deepEqual(errors, []);
  assert.ok(
    requests.every((url) => url.startsWith('file://')),
    requests.join(' '),
  );
  assert.equal(requests.length, 1);
  await page.close();
});

test('diff of two captures: differential flame graph and the functions that changed', {
  skip: noChromium,
}, async () => {
  const html = renderHtmlReport({
    before: fakeCapture({ nodes: 2000 }),
    after: fakeCapture({ nodes: 2000, slowFactor: 0.3 }),
  });
  const { page, errors } = await openReport('diff', html);
  assert.equal(await page.getAttribute('nav.tabs button[aria-selected="true"]', 'data-view'), 'diff');
  assert.match((await page.textContent('section[data-view="diff"] h2')) ?? '', /faster/);
  assert.match((await page.textContent('table.compare')) ?? '', /wall time per request.*\d\.\d\d×/);
  assert.match((await page.textContent('table.compare')) ?? '', /load run p50/);
  assert.match((await page.textContent('table.diff-functions tbody tr:first-child')) ?? '', /-/);
  await shot(page, 'diff');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a trace capture without a profile shows findings, requests and stacks only', { skip: noChromium }, async () => {
  const capture = fakeCapture({ nodes: 100 });
  delete capture.profile;
  delete capture.bench;
  const { page, errors } = await openReport('trace-only', renderHtmlReport(capture));
  const tabs = await page
    .locator('nav.tabs button')
    .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-view')));
  assert.deepEqual(tabs, ['overview', 'requests', 'stacks']);
  await tab(page, 'requests');
  assert.match((await page.textContent('.request-detail')) ?? '', /Constructions per class/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a profile over the node limit is reduced, and every view says so', { skip: noChromium }, async () => {
  const { page, errors } = await openReport(
    'reduced',
    renderHtmlReport(fakeCapture({ nodes: 4000 }), { maxNodes: 1000 }),
  );
  assert.match(
    (await page.textContent('p.reduction')) ?? '',
    /4,000 call-tree nodes → [\d,]+; frames under .* merged into "\(merged small frames\)"/,
  );
  await tab(page, 'table');
  await page.fill('section[data-view="table"] input[type="search"]', 'merged small');
  assert.equal(await page.locator('table.pstats tbody tr').count(), 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a watch capture opens on Routes: ranked rows, latency over time, click-through to a request', {
  skip: noChromium,
}, async () => {
  const table = new RouteTable();
  const record = (url: string, wallMs: number, route?: string) => ({
    record: {
      method: 'GET',
      url,
      status: 200,
      wallMs,
      cpuMs: 1,
      bytes: 9,
      queries: [],
      constructions: [],
      ...(route ? { route } : {}),
    },
    ...(route ? { routeFrom: 'express' } : {}),
  });
  // the slow route gets fast halfway through (a fix deployed): the chart's before/after
  for (let s = 0; s < 20; s++) {
    table.add({ ...record(`/api/owners/${s}/cards`, s < 10 ? 400 : 40, '/api/owners/:id/cards'), atS: s });
    for (let i = 0; i < 5; i++) table.add({ ...record(`/api/cards/${i}`, 2), atS: s });
  }
  table.add({ ...record('/<img src=x onerror=alert(1)>', 1), atS: 3 });
  const target = { mode: 'command' as const, command: ['node', 'server.js'] };
  const { routes, requests } = summarizeRoutes({ table, target, diagnoseCommand: (r) => `culprit diagnose ${r.url}` });
  const capture = { ...fakeCapture({ nodes: 10 }), requests, target };
  delete capture.profile;
  delete capture.bench;
  delete capture.findings;
  capture.watch = { startedAt: '2026-11-30T00:00:00Z', durationS: 20, requests: table.requests, bucketS: 1, routes };
  const { page, errors } = await openReport('watch-routes', renderHtmlReport(capture));
  assert.equal(await page.getAttribute('nav.tabs button[aria-selected="true"]', 'data-view'), 'routes');
  const rows = await page
    .locator('table.routes tbody tr')
    .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-route')));
  assert.deepEqual(rows, ['GET /api/owners/:id/cards', 'GET /api/cards/:id', 'GET /<img src=x onerror=alert(1)>']);
  assert.equal(await page.locator('img').count(), 0, 'a route is text, never markup');
  const canvas = page.locator('section[data-view="routes"] canvas.latency-over-time');
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + 56 + 10, box.y + 90);
  assert.match((await page.textContent('.tooltip')) ?? '', /0–1 s1 requestsmean 400 ms · slowest 400 ms/);
  await shot(page, 'watch-routes');
  // click-through: the route's slowest request opens in Requests with its evidence
  const id = routes[0]?.example.requestId;
  await page.click(`section[data-view="routes"] button[data-open-request="${id}"]`);
  assert.equal(await page.getAttribute('nav.tabs button[aria-selected="true"]', 'data-view'), 'requests');
  assert.match(
    (await page.textContent('.request-detail h3')) ?? '',
    new RegExp(`^#${id} GET /api/owners/\\d+/cards → 200 in 400 ms`),
  );
  // another route's row button goes there too
  await tab(page, 'routes');
  await page.click('table.routes tbody tr:nth-child(2) button.link');
  assert.match((await page.textContent('.request-detail h3')) ?? '', /GET \/api\/cards\/\d/);
  assert.deepEqual(errors, []);
  await page.close();
});
