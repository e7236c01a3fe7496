// Traffic culprit did not send (a health check, a load test) is counted by the probe per route and sent in
// batches (request-recorder.ts); a route's row is kept from one batch to the next while it counts. What a
// user relies on: every such request is counted once, by method, status and path without its query, across
// batches, and what arrived before culprit's own request is there when its record is. Needs `npm run build`.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openTarget } from '../target/open-target.js';
import type { RunningTarget } from '../target/types.js';

const dir = mkdtempSync(join(tmpdir(), 'culprit-other-traffic-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (up to 5 s: a loaded machine runs timers late) until the CLI has counted `total` other requests. */
async function counted(target: RunningTarget, total: number): Promise<void> {
  for (let waited = 0; waited < 5000; waited += 50) {
    if (target.otherTraffic().reduce((sum, row) => sum + row.count, 0) >= total) return;
    await pause(50);
  }
}

test('other traffic: counted per route across batches, before the record of culprit’s next request', {
  timeout: 30_000,
}, async () => {
  const server = join(dir, 'server.cjs');
  writeFileSync(
    server,
    `require('node:http')
       .createServer((request, response) => {
         response.statusCode = request.url.startsWith('/missing') ? 404 : 200;
         response.end('ok');
       })
       .listen(0, '127.0.0.1');`,
  );
  const target = await openTarget({
    mode: 'command',
    command: [process.execPath, server],
    cwd: dir,
    readyTimeoutMs: 15_000,
  });
  try {
    const port = Number(new URL(target.info.baseUrl ?? '').port);
    for (let i = 0; i < 5; i++) await get(port, '/health');
    await get(port, '/missing?id=1');
    // a batch goes out every 250 ms: the next request falls in a later one, on the route counted last
    await counted(target, 6);
    await get(port, '/missing?id=2');
    // sent by the batch's own timer, with no request of culprit's to flush it
    await counted(target, 7);
    assert.deepEqual(target.otherTraffic(), [
      { method: 'GET', path: '/health', status: 200, count: 5 },
      { method: 'GET', path: '/missing', status: 404, count: 2 },
    ]);
    // /health idled through a batch: its row went, and comes back
    await pause(600);
    for (let i = 0; i < 3; i++) await get(port, `/health?at=${i}`);
    await get(port, '/health');
    const observed = await target.send({ method: 'GET', path: '/mine' });
    assert.equal(observed.status, 200);
    assert.deepEqual(target.otherTraffic(), [
      { method: 'GET', path: '/health', status: 200, count: 9 },
      { method: 'GET', path: '/missing', status: 404, count: 2 },
    ]);
  } finally {
    await target.close();
  }
});
