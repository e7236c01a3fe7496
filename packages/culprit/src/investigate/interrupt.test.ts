// Ctrl-C during diagnose's profiling: the finished trace pass is kept and the
// capture is labelled partial, never diagnosed as whole. Needs `npm run build`.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { partialNotes } from '../capture/partial.js';
import { openTarget } from '../target/open-target.js';
import type { RunningTarget } from '../target/types.js';
import { runInvestigation } from './run-investigation.js';

const cwd = fileURLToPath(new URL('../../../../fixtures/trace-sends/', import.meta.url));
const opened: RunningTarget[] = [];
after(async () => {
  await Promise.all(opened.map((target) => target.close()));
});

test('interrupted while profiling: the trace pass is kept, the capture says partial', async () => {
  const target = await openTarget({ mode: 'module', modulePath: 'app.js', cwd, readyTimeoutMs: 15_000 });
  opened.push(target);
  const controller = new AbortController();
  const capture = await runInvestigation(target, {
    request: { method: 'GET', path: '/queries?n=20' },
    count: 2,
    keepParams: false,
    profile: true,
    intervalUs: 1000,
    commandLine: 'diagnose test',
    version: 'test',
    signal: controller.signal,
    onProgress: (message) => {
      if (message.startsWith('profiling')) controller.abort(); // Ctrl-C once the trace pass is done
    },
  });
  assert.equal(capture.requests.length, 2, 'both traced requests kept');
  assert.equal(capture.requests[0]?.queries.length, 20);
  assert.equal(capture.profile, undefined);
  assert.match(partialNotes(capture).join('\n'), /interrupted during profiling/);
});

test('a 500 in the trace pass ends the run before profiling, with the status and body', async () => {
  const target = await openTarget({ mode: 'module', modulePath: 'app.js', cwd, readyTimeoutMs: 15_000 });
  opened.push(target);
  const run = runInvestigation(target, {
    request: { method: 'GET', path: '/fail' },
    count: 1,
    keepParams: false,
    profile: true,
    intervalUs: 1000,
    commandLine: 'diagnose test',
    version: 'test',
  });
  await assert.rejects(run, /CULPRIT_E_REQUEST_FAILED|answered 500 \(body: \{"error":"database is down"\}\)/);
  assert.equal(target.sent, 1, 'not profiled: sent once');
});
