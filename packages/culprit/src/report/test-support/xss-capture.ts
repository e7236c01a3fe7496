import type { Capture } from '../../capture/types.js';
import { fakeCapture } from './fake-capture.js';

/** Strings that would run code if any capture text reached the page as HTML or a URL. */
export const XSS_PAYLOADS = [
  '<script>window.__pwned="script"</script>',
  '</script><script>window.__pwned="close"</script>',
  '<img src=x onerror="window.__pwned=\'img\'">',
  'javascript:window.__pwned="url"',
  '<svg onload="window.__pwned=\'svg\'"></svg>',
  '<!-- \u2028 \u2029 <style>body{display:none}</style>',
] as const;

/** A capture whose every string field (names, files, URLs, SQL, classes, findings, notes) carries a payload. */
export function xssCapture(): Capture {
  const capture = fakeCapture({ nodes: 300, seed: 7 });
  const p = (i: number): string => XSS_PAYLOADS[i % XSS_PAYLOADS.length]!;
  capture.profile!.functions.forEach((f, i) => {
    if (f.category === 'root') return;
    f.name = `${p(i)}fn${i}`;
    f.file = `${p(i + 1)}/file${i}.ts`;
    if (f.package) f.package = p(i + 2);
  });
  capture.tool.command = p(0);
  capture.target.module = p(1);
  capture.notes = XSS_PAYLOADS.map((x) => `note ${x}`);
  for (const r of capture.requests) {
    r.url = `/x?u=${p(3)}&h=${p(2)}`;
    r.method = p(0);
    r.error = p(2);
    for (const q of r.queries) {
      q.sql = `SELECT '${p(1)}' FROM t WHERE x = '${p(2)}'`;
      q.driver = p(4);
      if (q.location) q.location.file = p(3);
    }
    for (const c of r.constructions) c.className = p(2);
  }
  for (const f of capture.findings ?? []) {
    f.title = `${p(0)} ${p(1)}`;
    f.rule = p(2);
    f.suggestion = p(3);
    f.evidence = XSS_PAYLOADS.map((x) => ({ label: x, value: x }));
    if (f.snippet) f.snippet.lines = [...XSS_PAYLOADS];
    if (f.location) f.location.file = p(2);
  }
  for (const stop of capture.stops ?? []) {
    stop.spec = p(0);
    for (const frame of stop.frames) {
      frame.file = p(1);
      frame.functionName = p(2);
      frame.locals = { [p(3)]: p(2), x: p(1) };
      if (frame.snippet) frame.snippet.lines = [...XSS_PAYLOADS];
    }
  }
  for (const hit of capture.logs ?? []) {
    hit.spec = p(1);
    hit.values = [...XSS_PAYLOADS];
  }
  if (capture.bench) {
    capture.bench.url = p(3);
    capture.bench.statusCodes = { [p(2)]: 1 };
  }
  return capture;
}
