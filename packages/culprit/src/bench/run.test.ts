import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { LoadOptions } from './options.js';
import { runLoad } from './run.js';
import { runLoadOnWorkers } from './run-workers.js';
import { loadOptions } from './test-support/load-options.js';
import { httpServer, rawServer, refusingUrl, type TestServer } from './test-support/servers.js';

const servers: TestServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function serve(server: Promise<TestServer>): Promise<string> {
  const s = await server;
  servers.push(s);
  return s.url;
}

function load(url: string, extra: Partial<LoadOptions> = {}): LoadOptions {
  return loadOptions({ url, concurrency: 3, timeoutMs: 2000, headers: [['Host', new URL(url).host]], ...extra });
}

const ok = serve(httpServer((_req, res) => res.end('hello')));

test('-n 10 -c 3 sends exactly 10 requests and records each', async () => {
  const stats = await runLoad(load(await ok));
  assert.equal(stats.requests, 10);
  assert.equal(stats.errors, 0);
  assert.equal(stats.latencyUs.totalCount, 10);
  assert.deepEqual(Object.fromEntries(stats.statusCodes), { 200: 10 });
  assert.equal(stats.bytes, 50);
});

test('5xx responses are counted under their status, not as errors', async () => {
  const url = await serve(
    httpServer((_req, res) => {
      res.statusCode = 503;
      res.end('down');
    }),
  );
  const stats = await runLoad(load(url));
  assert.deepEqual(Object.fromEntries(stats.statusCodes), { 503: 10 });
  assert.equal(stats.errors, 0);
});

test('refused connections are counted as refused', async () => {
  const stats = await runLoad(load(await refusingUrl()));
  assert.equal(stats.requests, 0);
  assert.deepEqual(Object.fromEntries(stats.errorKinds), { refused: 10 });
});

test('resets are counted as reset', async () => {
  const url = await serve(rawServer((socket) => socket.resetAndDestroy()));
  const stats = await runLoad(load(url));
  assert.deepEqual(Object.fromEntries(stats.errorKinds), { reset: 10 });
});

test('a connection closed mid-response is counted as such', async () => {
  const url = await serve(
    rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a bit')),
  );
  const stats = await runLoad(load(url));
  assert.deepEqual(Object.fromEntries(stats.errorKinds), { 'closed mid-response': 10 });
});

test('a connection closed before any response is counted as closed', async () => {
  const url = await serve(rawServer((socket) => socket.end()));
  const stats = await runLoad(load(url));
  assert.deepEqual(Object.fromEntries(stats.errorKinds), { closed: 10 });
});

test('garbage instead of HTTP is a bad response', async () => {
  const url = await serve(rawServer((socket) => socket.write('SSH-2.0-OpenSSH_9.2\r\n\r\n')));
  const stats = await runLoad(load(url));
  assert.deepEqual(Object.fromEntries(stats.errorKinds), { 'bad response': 10 });
});

test('a slow server times out per request (-t) and the run ends on time', async () => {
  const url = await serve(httpServer(() => {}));
  const started = performance.now();
  const stats = await runLoad(load(url, { requests: 6, concurrency: 3, timeoutMs: 200 }));
  const elapsed = performance.now() - started;
  assert.deepEqual(Object.fromEntries(stats.errorKinds), { timeout: 6 });
  assert.ok(elapsed >= 390 && elapsed < 1500, `two rounds of 200 ms timeouts took ${elapsed} ms`);
});

test('-z ends the run on time even when the server never answers', async () => {
  const url = await serve(httpServer(() => {}));
  const started = performance.now();
  const stats = await runLoad(load(url, { requests: undefined, durationMs: 300, timeoutMs: 0 }));
  const elapsed = performance.now() - started;
  assert.ok(elapsed >= 290 && elapsed < 800, `took ${elapsed} ms`);
  assert.equal(stats.requests + stats.errors, 0, 'requests still in flight at the deadline are dropped, not counted');
});

test('aborting (Ctrl-C) ends the run and keeps what was done', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 200);
  const stats = await runLoad(load(await ok, { requests: undefined, durationMs: 60_000 }), {
    signal: controller.signal,
  });
  assert.ok(stats.durationMs < 1000);
  assert.ok(stats.requests > 0);
});

test('follows redirects (same and other origin), counts the final status', async () => {
  const other = await serve(httpServer((_req, res) => res.end('landed')));
  const url = await serve(
    httpServer((req, res) => {
      res.writeHead(302, { location: req.url === '/' ? '/next' : other }).end();
    }),
  );
  const followed = await runLoad(load(url));
  assert.deepEqual(Object.fromEntries(followed.statusCodes), { 200: 10 });
  const notFollowed = await runLoad(load(url, { followRedirects: false }));
  assert.deepEqual(Object.fromEntries(notFollowed.statusCodes), { 302: 10 });
});

test('chunked bodies, HEAD, keep-alive disabled', async () => {
  const url = await serve(
    httpServer((req, res) => {
      res.write('part one, ');
      res.end(`part two ${req.method}`);
    }),
  );
  const stats = await runLoad(load(url, { keepAlive: false }));
  assert.equal(stats.requests, 10);
  assert.equal(stats.bytes, 10 * 'part one, part two GET'.length);
  assert.equal(stats.phases.dial.count, 10, 'a new connection per request');
  const head = await runLoad(load(url, { method: 'HEAD' }));
  assert.equal(head.requests, 10);
  assert.equal(head.bytes, 0);
});

test('-q paces the total rate and measures from the intended send time', async () => {
  const started = performance.now();
  const stats = await runLoad(load(await ok, { requests: 20, concurrency: 2, rate: 100 }));
  const elapsed = performance.now() - started;
  // 20 sends at 100/s: the last slot is at 190 ms.
  assert.ok(elapsed >= 185 && elapsed < 1000, `took ${elapsed} ms`);
  assert.equal(stats.requests, 20);
});

test('worker threads split the load and merge their histograms', async () => {
  const stats = await runLoadOnWorkers(load(await ok, { requests: 11, concurrency: 4 }), 2);
  assert.equal(stats.requests, 11);
  assert.equal(stats.latencyUs.totalCount, 11);
  assert.deepEqual(Object.fromEntries(stats.statusCodes), { 200: 11 });
});
