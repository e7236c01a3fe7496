// Measures the HTML viewer in Debian's Chromium: time to open a report with a
// large call tree (navigation start → UI built → first chart painted), and
// the longest animation frame while zooming and panning.
//   npx tsx bench/viewer/open-large.ts [nodes=50000] [runs=3]
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderHtmlReport } from '../../packages/culprit/src/report/html-report.js';
import {
  ensureViewerBuilt,
  launchChromium,
  noChromium,
} from '../../packages/culprit/src/report/test-support/chromium.js';
import { fakeCapture } from '../../packages/culprit/src/report/test-support/fake-capture.js';

const nodes = Number(process.argv[2] ?? 50_000);
const runs = Number(process.argv[3] ?? 3);
if (noChromium) {
  console.error(noChromium);
  process.exit(2);
}
ensureViewerBuilt();
const capture = fakeCapture({ nodes });
const t0 = performance.now();
const html = renderHtmlReport(capture);
const renderMs = performance.now() - t0;
const dir = mkdtempSync(join(tmpdir(), 'culprit-viewer-bench-'));
const file = join(dir, 'report.html');
writeFileSync(file, html);
console.log(
  `capture: ${capture.profile!.nodes.length} call-tree nodes, ${capture.profile!.functions.length} functions`,
);
console.log(`renderHtmlReport: ${renderMs.toFixed(0)} ms, file ${(statSync(file).size / 1e6).toFixed(1)} MB`);

const browser = await launchChromium();
for (let run = 1; run <= runs; run++) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // CPU time of the renderer's main thread (CDP ThreadTime): unlike wall time, it does not grow when
  // other processes hold the cores, so it is the figure to compare across runs on a busy machine.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const cpu = async (): Promise<number> => {
    const { metrics } = (await cdp.send('Performance.getMetrics')) as {
      metrics: Array<{ name: string; value: number }>;
    };
    return (metrics.find((m) => m.name === 'ThreadTime')?.value ?? 0) * 1000;
  };
  const cpuBefore = await cpu();
  await page.goto(`file://${file}#icicle`);
  await page.waitForSelector('body[data-ready="true"]');
  const open =
    (await page.evaluate(`new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve({
    ready: performance.getEntriesByName('culprit-ready')[0].startTime,
    start: performance.getEntriesByName('culprit-start')[0].startTime,
    parsed: performance.getEntriesByName('culprit-parsed')[0].startTime,
    painted: performance.now(),
    kept: document.querySelector('.note') ? document.querySelector('.note').textContent : '',
  }))))`)) as { ready: number; start: number; parsed: number; painted: number; kept: string };
  const cpuOpen = (await cpu()) - cpuBefore;
  // Record every animation frame while we zoom and pan.
  await page.evaluate(`(() => { window.__frames = []; let last = performance.now();
    const tick = (t) => { window.__frames.push(t - last); last = t; window.__raf = requestAnimationFrame(tick); };
    window.__raf = requestAnimationFrame(tick); })()`);
  const box = (await page.locator('section[data-view="icicle"] canvas').boundingBox())!;
  const started = performance.now();
  for (let i = 0; i < 10; i++) {
    await page.mouse.click(box.x + 40 + i * 30, box.y + 18 * (3 + (i % 4)) + 9); // zoom into a frame
    await page.keyboard.press('Escape');
    await page.keyboard.press('Home');
  }
  await page.keyboard.press('Escape');
  await page.mouse.move(box.x + 600, box.y + 60);
  await page.keyboard.down('Control');
  for (let i = 0; i < 40; i++) await page.mouse.wheel(0, i < 20 ? -120 : 120); // zoom in then out around the pointer
  await page.keyboard.up('Control');
  await page.mouse.move(box.x + 700, box.y + 40);
  await page.mouse.down();
  for (let i = 0; i < 30; i++) await page.mouse.move(box.x + 700 - i * 15, box.y + 40);
  await page.mouse.up();
  const interactMs = performance.now() - started;
  const cpuInteract = (await cpu()) - cpuBefore - cpuOpen;
  const frames = (await page.evaluate('cancelAnimationFrame(window.__raf), window.__frames')) as number[];
  const draws = (await page.evaluate(
    "performance.getEntriesByName('culprit-draw').map((m) => m.duration)",
  )) as number[];
  const firstDraw = draws[0] ?? 0;
  const later = draws.slice(1).sort((a, b) => a - b);
  const sorted = [...frames].sort((a, b) => a - b);
  const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
  console.log(
    `run ${run}: script starts ${open.start.toFixed(0)} ms, JSON parsed ${open.parsed.toFixed(0)} ms, UI built ${open.ready.toFixed(0)} ms, first chart painted ${open.painted.toFixed(0)} ms after navigation start; ` +
      `zoom/pan ${interactMs.toFixed(0)} ms: ${frames.length} frames, p95 ${p95.toFixed(1)} ms, longest ${sorted.at(-1)?.toFixed(1)} ms\n` +
      `        main-thread CPU: ${cpuOpen.toFixed(0)} ms to open and paint, ${cpuInteract.toFixed(0)} ms for all zoom/pan\n` +
      `        work: parse ${(open.parsed - open.start).toFixed(0)} ms, build UI ${(open.ready - open.parsed).toFixed(0)} ms, ` +
      `first draw ${firstDraw.toFixed(1)} ms; ${later.length} zoom/pan draws: median ${(later[Math.floor(later.length / 2)] ?? 0).toFixed(1)} ms, ` +
      `p95 ${(later[Math.floor(later.length * 0.95)] ?? 0).toFixed(1)} ms, max ${(later.at(-1) ?? 0).toFixed(1)} ms` +
      (open.kept ? `; note: ${open.kept}` : ''),
  );
  await page.close();
}
await browser.close();
rmSync(dir, { recursive: true, force: true });
