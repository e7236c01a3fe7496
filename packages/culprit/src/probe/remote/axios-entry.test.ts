import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import vm from 'node:vm';
import { FrameList } from '../frame-source.js';
import { type RequestScope, runInScope, setQueriesWanted } from '../request-context.js';
import { installAxiosEntryHook } from './axios-entry.js';
import { installHttpClientHooks, listenHttp } from './http-client.js';
import type { RawHttpCall } from './raw-call.js';

installHttpClientHooks();
installAxiosEntryHook();
// axios 1.x's CommonJS bundle (a devDependency of packages/culprit): patched as it loads
const axios = createRequire(import.meta.url)('axios') as unknown;

let server: http.Server;
let base = '';

before(async () => {
  server = http.createServer((request, response) => response.end(JSON.stringify({ path: request.url })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  listenHttp(false);
  setQueriesWanted(false);
  server.close();
});

function scope(): RequestScope {
  return { requestId: 1, startedAt: performance.now(), queries: [], closed: false };
}

/** App code calling axios every way in (this test file is culprit's own to the probe: it sits under src/probe/). */
type Send = () => Promise<unknown>;
const app = vm.runInThisContext(
  `((axios, base) => {
    const api = axios.create({ baseURL: base });
    const later = axios.create({ baseURL: base });
    later.interceptors.request.use(async (config) => config); // asynchronous: the request is sent on a later tick
    return {
      shortcut: () => axios.get(base + '/users/1'),
      config: () => axios({ url: base + '/orders', method: 'post', data: { id: 1 } }),
      instance: () => api.get('/users/2'),
      both: () => Promise.all([axios.get(base + '/users/3'), api.get('/users/4')]),
      intercepted: async () => (await later.get('/users/5')).data,
    };
  })`,
  { filename: '/srv/app/clients.js' },
) as (axios: unknown, base: string) => Record<'shortcut' | 'config' | 'instance' | 'both' | 'intercepted', Send>;

/** Error.captureStackTrace calls made in `send`'s synchronous part. */
function capturesIn(send: Send): { captures: number; done: Promise<unknown> } {
  const capture = Error.captureStackTrace;
  let captures = 0;
  Error.captureStackTrace = (target: object, below?: (...args: never[]) => unknown) => {
    captures += 1;
    capture(target, below);
  };
  try {
    const done = send();
    return { captures, done };
  } finally {
    Error.captureStackTrace = capture;
  }
}

test("an axios call is recorded at the app's line, every way in; one stack taken per call, at axios's entry", async () => {
  setQueriesWanted(true);
  listenHttp(true);
  const request = scope();
  const counts: number[] = [];
  await runInScope(request, async () => {
    const calls = app(axios, base);
    for (const send of [calls.shortcut, calls.config, calls.instance, calls.both, calls.intercepted]) {
      const { captures, done } = capturesIn(send);
      counts.push(captures);
      await done;
    }
  });
  const calls = (request.remote ?? []) as RawHttpCall[];
  // 0-based lines of /srv/app/clients.js
  assert.deepEqual(
    calls.map((call) => [
      call.method,
      call.url,
      call.status,
      call.frames.appFrame()?.url,
      call.frames.appFrame()?.line,
    ]),
    [
      ['GET', '/users/1', 200, '/srv/app/clients.js', 5],
      ['POST', '/orders', 200, '/srv/app/clients.js', 6],
      ['GET', '/users/2', 200, '/srv/app/clients.js', 7],
      ['GET', '/users/3', 200, '/srv/app/clients.js', 8],
      ['GET', '/users/4', 200, '/srv/app/clients.js', 8],
      ['GET', '/users/5', 200, '/srv/app/clients.js', 9],
    ],
  );
  // the request sent inside the call takes the entry's frames: no second stack, none 40 frames deep
  assert.deepEqual(counts.slice(0, 4), [1, 1, 1, 2]);
  // kept as the application frame alone: no CallSites (and what their frames hold) until the app's request ends
  assert.deepEqual(
    calls.slice(0, 5).map((call) => call.frames instanceof FrameList),
    [true, true, true, true, true],
  );
});

test('no stack is taken for an axios call outside a recorded request', async () => {
  setQueriesWanted(true);
  listenHttp(true);
  const { captures, done } = capturesIn(app(axios, base).shortcut);
  await done;
  assert.equal(captures, 0);
});
