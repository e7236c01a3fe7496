// culprit watch + culprit replay end to end: an Express app (command mode) and
// a Fastify app (module mode), each with several routes, driven by replaying
// an access log and a HAR file; the slow route (an N+1) ranks first with its
// finding. Needs `npm run build` (the probe runs from dist).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Capture } from '../capture/types.js';
import { main } from '../cli/main.js';
import { recordingIo } from '../cli/test-support/recording-io.js';
import { freePort, startWatch } from './test-support/start-watch.js';

const fixtures = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/culprit.js', import.meta.url));
const traffic = join(fixtures, 'watch-traffic');

async function replay(args: string[]): Promise<{ code: number; stdout: string }> {
  const io = recordingIo(traffic);
  const code = await main(['replay', ...args], io);
  return { code, stdout: io.out() };
}

function route(capture: Capture, name: string) {
  const found = capture.watch?.routes.find((r) => r.route === name);
  assert.ok(found, `route ${name} in ${capture.watch?.routes.map((r) => r.route).join(', ')}`);
  return found;
}

describe('culprit watch', { concurrency: true }, () => {
  test('Express, command mode: a log and a HAR replayed; routes from the router; the N+1 route first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'culprit-watch-'));
    const save = join(dir, 'watch.json');
    const watch = await startWatch(['--save', save, '--', 'node', 'server.js'], join(fixtures, 'watch-express'));
    const log = await replay(['access-log.txt', '--target', watch.url, '--rate', '200']);
    assert.equal(log.code, 0);
    assert.match(log.stdout, /62 of 64 requests \(access-log\).*\n {2}responses: 200: 62/);
    assert.match(log.stdout, /skipped 2 unsafe requests \(POST: 2\)/);
    assert.match(log.stdout, /1 lines or entries of the file could not be read/);
    const har = await replay(['traffic.har', '--target', watch.url, '--rate', '200', '--include-unsafe']);
    assert.equal(har.code, 0);
    assert.match(har.stdout, /64 of 64 requests \(har\).*\n {2}responses: 200: 62, 201: 2/);
    const { code, stdout } = await watch.stop();
    assert.equal(code, 0);
    const capture = JSON.parse(readFileSync(save, 'utf8')) as Capture;
    const routes = capture.watch?.routes ?? [];
    assert.equal(capture.watch?.requests, 126, '62 from the log, 64 from the HAR (2 POSTs)');
    const slow = routes[0];
    assert.equal(`${slow?.method} ${slow?.route} ${slow?.from}`, 'GET /api/owners/:id/cards express');
    assert.equal(slow?.count, 20);
    assert.equal(slow?.finding?.rule, 'n-plus-one');
    assert.ok(slow?.finding?.location?.file.endsWith('watch-express/app.js'));
    assert.equal(slow?.finding?.location?.line, 20);
    assert.equal(slow?.queries, 20 * 501, `one list query and 500 tag queries per request: ${slow?.queries}`);
    assert.match(slow?.example.diagnose ?? '', /^culprit diagnose \/api\/owners\/\d\/cards -- node server\.js$/);
    assert.equal(route(capture, '/api/cards/:id').count, 80);
    assert.equal(route(capture, '/api/search').count, 16);
    assert.equal(route(capture, '/health').count, 8);
    assert.equal(route(capture, '/api/cards').method, 'POST');
    const ids = new Set(capture.requests.map((r) => r.id));
    for (const r of routes) assert.ok(ids.has(r.example.requestId), `the example of ${r.route} is in requests`);
    assert.ok(
      capture.requests.every((r) => !r.url.includes('card%201')),
      'query values redacted',
    );
    assert.ok(slow && slow.latencyMs.p50 <= slow.latencyMs.p95 && slow.latencyMs.p95 <= slow.latencyMs.max);
    assert.ok((slow?.series.length ?? 0) >= 1);
    assert.match(stdout, /^ {2}1 GET \/api\/owners\/:id\/cards +20 /m);
    // critical or warning is the time share the fix saves, which the machine's load moves; the N+1 is the point
    assert.match(stdout, /(critical|warning): .*N\+1/);
  });

  test('Fastify, module mode: prefixed routes from Fastify, ranked by total time', async () => {
    const port = await freePort();
    const watch = await startWatch(
      ['--app', 'app.js#buildApp', '--port', String(port), '--json'],
      join(fixtures, 'watch-fastify'),
      port,
    );
    const log = await replay(['access-log.txt', '--target', watch.url, '--rate', '200']);
    assert.equal(log.code, 0);
    const { code, stdout } = await watch.stop();
    assert.equal(code, 0);
    const capture = JSON.parse(stdout) as Capture;
    const routes = capture.watch?.routes ?? [];
    assert.equal(`${routes[0]?.route} ${routes[0]?.from}`, '/api/owners/:id/cards fastify');
    assert.equal(routes[0]?.finding?.rule, 'n-plus-one');
    assert.equal(route(capture, '/api/cards/:id').count, 40);
    assert.equal(route(capture, '/health').from, 'fastify');
    assert.ok(route(capture, '/health').count >= 4, "the log's 4, and the test's own readiness checks");
    assert.match(
      routes[0]?.example.diagnose ?? '',
      /^culprit diagnose --app 'app\.js#buildApp' GET \/api\/owners\/\d\/cards$/,
    );
  });

  test('replay refuses a target that is not this machine, and an unreadable file, with exit 2', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number; stderr: string }>((resolve) => {
        execFile(process.execPath, [bin, ...args], { cwd: traffic }, (error, _stdout, stderr) =>
          resolve({ code: error ? Number(error.code) : 0, stderr }),
        );
      });
    const remote = await run(['replay', 'access-log.txt', '--target', 'http://example.com:80']);
    assert.equal(remote.code, 2);
    assert.match(remote.stderr, /--target must be this machine/);
    const notLog = await run(['replay', 'README.md', '--target', 'http://127.0.0.1:9']);
    assert.equal(notLog.code, 2);
    assert.match(notLog.stderr, /holds no request culprit can replay; expected an access log/);
    const noCommand = await run(['watch', '--duration', '1']);
    assert.equal(noCommand.code, 2);
    assert.match(noCommand.stderr, /no command to start/);
  });
});
