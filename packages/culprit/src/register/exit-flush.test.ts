/**
 * culprit/register on the way out: what it holds reaches the collector when
 * the app ends normally or on SIGTERM (with or without the app's own SIGTERM
 * listener), the server span carries the router's template as `http.route`,
 * and a stuck collector delays the exit by about a second at most.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, test } from 'node:test';
import { type Receiver, startReceiver } from '../otel/test-support/otlp-receiver.js';
import { killRoutesApps, startRoutesApp } from './test-support/routes-app.js';

after(killRoutesApps);

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Milliseconds from `end()` to the process's exit. */
  tookMs: number;
  stderr: string;
}

/** Starts the fixture against `receiver`, sends `paths`, runs `end(base, child)` and waits for the exit. */
async function runApp(
  receiver: Receiver,
  paths: string[],
  end: (base: string, child: ChildProcess) => Promise<unknown> | undefined,
  env: Record<string, string> = {},
): Promise<Ended> {
  const app = await startRoutesApp({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, CULPRIT_SAMPLE_RATE: '1', ...env });
  // the export worker starts a moment after the app (seconds on a loaded machine); the exit waits for it
  // at most a second, so the tests first see it export a warm-up request
  assert.equal((await fetch(`${app.base}${WARM_UP}`)).status, 200);
  const deadline = performance.now() + 20_000;
  while (receiver.requests.length === 0) {
    assert.ok(performance.now() < deadline, 'the export worker exported nothing in 20 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const path of paths) assert.equal((await fetch(app.base + path)).status, 200, path);
  const started = performance.now();
  await end(app.base, app.child);
  const [code, signal] = await app.exited;
  return { code, signal, tookMs: performance.now() - started, stderr: app.stderr() };
}

const WARM_UP = '/api/cards/99';

function serverSpans(receiver: Receiver): Array<{ name: string; route: unknown; path: unknown }> {
  return receiver.spans
    .filter((span) => span.kind === 2 && span.attributes['url.path'] !== WARM_UP)
    .map((span) => ({ name: span.name, route: span.attributes['http.route'], path: span.attributes['url.path'] }))
    .sort((a, b) => String(a.path).localeCompare(String(b.path)));
}

const cardPaths = ['/api/cards/1', '/api/cards/2'];

test('SIGTERM with no listener of the app: the held spans are sent, then the process dies of SIGTERM', async (t) => {
  const receiver = await startReceiver('ok');
  t.after(() => receiver.close());
  const ended = await runApp(receiver, cardPaths, async (_base, child) => child.kill('SIGTERM'));
  assert.equal(ended.signal, 'SIGTERM', `died of the signal as without culprit (code ${ended.code})`);
  assert.deepEqual(serverSpans(receiver), [
    { name: 'GET /api/cards/:id', route: '/api/cards/:id', path: '/api/cards/1' },
    { name: 'GET /api/cards/:id', route: '/api/cards/:id', path: '/api/cards/2' },
  ]);
  assert.equal(ended.stderr, '');
});

test("SIGTERM trapped by the app: the app's own shutdown runs, and the exit sends the spans", async (t) => {
  const receiver = await startReceiver('ok');
  t.after(() => receiver.close());
  const ended = await runApp(receiver, cardPaths, async (_base, child) => child.kill('SIGTERM'), {
    TRAP_SIGTERM: '1',
  });
  assert.equal(ended.code, 0, 'the app closed its server and drained');
  assert.equal(ended.signal, null);
  assert.equal(serverSpans(receiver).length, 2);
});

test('a normal exit (the event loop drains) sends the spans of the last requests, /quit included', async (t) => {
  const receiver = await startReceiver('ok');
  t.after(() => receiver.close());
  const ended = await runApp(receiver, cardPaths, (base) => fetch(`${base}/quit`).then((r) => r.text()));
  assert.equal(ended.code, 0);
  assert.deepEqual(
    serverSpans(receiver).map((span) => `${span.name} ${span.route ?? '-'}`),
    ['GET /api/cards/:id /api/cards/:id', 'GET /api/cards/:id /api/cards/:id', 'GET -'],
    'the unrouted /quit has no http.route',
  );
});

test('a stuck collector delays neither kind of exit by more than about a second', async (t) => {
  const stuck = await startReceiver('hang');
  t.after(() => stuck.close());
  const killed = await runApp(stuck, cardPaths, async (_base, child) => child.kill('SIGTERM'));
  assert.equal(killed.signal, 'SIGTERM');
  assert.ok(killed.tookMs < 1800, `SIGTERM to exit: ${Math.round(killed.tookMs)} ms`);
  const drained = await runApp(stuck, cardPaths, (base) => fetch(`${base}/quit`).then((r) => r.text()));
  assert.equal(drained.code, 0);
  assert.ok(drained.tookMs < 1800, `last response to exit: ${Math.round(drained.tookMs)} ms`);
});
