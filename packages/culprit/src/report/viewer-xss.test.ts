import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderHtmlReport } from './html-report.js';
import { browserSession, noChromium } from './test-support/chromium.js';
import { XSS_PAYLOADS, xssCapture } from './test-support/xss-capture.js';

// A capture whose names, paths, URLs, SQL, classes, findings and notes all carry
// script payloads must render them as visible text, with nothing executed,
// and must do so even without the CSP (the CSP is a second wall, not the first).
const session = browserSession('culprit-xss-');
const dir = session.dir;

const views = [
  'overview',
  'icicle',
  'flame',
  'sunburst',
  'sandwich',
  'bottom-up',
  'table',
  'requests',
  'stacks',
  'diff',
];

async function probe(html: string, name: string, tour: string[]): Promise<void> {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, html);
  const page = await session.browser().newPage({ viewport: { width: 1200, height: 800 } });
  const dialogs: string[] = [];
  const requests: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => requests.push(r.url()));
  // Browser-side code as strings: this file is type-checked for Node, without DOM types.
  await page.addInitScript({
    content:
      'window.__violations = []; document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));',
  });
  await page.goto(`file://${file}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
  for (const view of tour) {
    const button = page.locator(`nav.tabs button[data-view="${view}"]`);
    if ((await button.count()) === 0) continue;
    await button.click();
    const canvas = page.locator(`section[data-view="${view}"] canvas`).first();
    if ((await canvas.count()) > 0 && (await canvas.isVisible())) {
      const box = (await canvas.boundingBox())!;
      for (const y of [9, 45]) await page.mouse.move(box.x + 30, box.y + y); // tooltips
    }
  }
  await page.click('nav.tabs button[data-view="table"]');
  await page.dblclick('table.pstats tbody tr:first-child');
  const state = (await page.evaluate(`({
    pwned: window.__pwned,
    violations: window.__violations,
    injected: document.querySelectorAll('#app img, #app script, #app svg, #app iframe, #app a[href], #app style').length,
    scripts: document.scripts.length,
    text: document.getElementById('app')?.textContent ?? '',
  })`)) as { pwned: unknown; violations: string[]; injected: number; scripts: number; text: string };
  await page.close();
  assert.equal(state.pwned, undefined, `${name}: a payload ran`);
  assert.deepEqual(dialogs, []);
  assert.equal(state.injected, 0, `${name}: markup from the capture became elements`);
  assert.equal(state.scripts, 2, `${name}: only the data block and the viewer script`);
  assert.deepEqual(state.violations, [], `${name}: something tried to run and was stopped by the CSP`);
  assert.ok(state.text.includes('<img src=x onerror='), `${name}: payloads are shown as text`);
  assert.ok(state.text.includes('</script><script>'), `${name}: payloads are shown as text`);
  assert.ok(
    requests.every((url) => url.startsWith('file://')),
    requests.join(' '),
  );
}

test('crafted capture: every payload is text, nothing executes (with CSP)', { skip: noChromium }, async () => {
  await probe(renderHtmlReport({ before: xssCapture(), after: xssCapture() }), 'xss-csp', [
    'diff',
    'icicle',
    'requests',
  ]);
});

test('crafted capture: nothing executes even with the CSP removed', { skip: noChromium }, async () => {
  const html = renderHtmlReport(xssCapture()).replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
  assert.ok(!html.includes('Content-Security-Policy'));
  await probe(html, 'xss-no-csp', views);
});

test('the payload list covers what the issue names', () => {
  const all = XSS_PAYLOADS.join(' ');
  for (const needle of ['<script>', '</script>', '<img src=x onerror=', 'javascript:']) assert.ok(all.includes(needle));
});
