import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import http, { get as namedGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import vm from 'node:vm';
import type { FrameSource } from '../frame-source.js';
import { type RequestScope, runInScope, setQueriesWanted } from '../request-context.js';
import { clientRequest, takeEntry } from './client-entry.js';
import { installHttpClientHooks, lengthOf, listenHttp } from './http-client.js';
import type { RawHttpCall } from './raw-call.js';
import { remoteCallsOf } from './to-probe.js';

installHttpClientHooks();
let server: http.Server;
let base = '';

before(async () => {
  server = http.createServer((request, response) => {
    if (request.url?.startsWith('/redirect/')) {
      response.writeHead(302, { location: request.url.slice('/redirect'.length) }).end();
      return;
    }
    const body = JSON.stringify({ path: request.url });
    const status = request.url?.startsWith('/missing') ? 404 : 200;
    setTimeout(() => response.writeHead(status, { 'content-length': Buffer.byteLength(body) }).end(body), 5);
  });
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

function getBody(url: string, via = http.get): Promise<string> {
  return new Promise((resolve, reject) => {
    via(url, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => resolve(text));
    }).on('error', reject);
  });
}

test('fetch and http.get are recorded on the request that made them, with the app frame', async () => {
  setQueriesWanted(true);
  listenHttp(true);
  const request = scope();
  async function loadDashboard(): Promise<void> {
    const answer = await fetch(`${base}/users/7?token=abc`);
    assert.deepEqual(await answer.json(), { path: '/users/7?token=abc' }, 'the app reads its body unchanged');
    assert.equal(await getBody(`${base}/orders/9`), '{"path":"/orders/9"}');
    await getBody(`${base}/missing/3`, namedGet); // an ESM named import reaches the wrapper too
  }
  await runInScope(request, loadDashboard);
  const calls = (request.remote ?? []) as RawHttpCall[];
  assert.deepEqual(
    calls.map((c) => [c.client, c.method, c.url, c.status]),
    [
      ['fetch', 'GET', '/users/7?token=abc', 200],
      ['http', 'GET', '/orders/9', 200],
      ['http', 'GET', '/missing/3', 404],
    ],
  );
  assert.equal(calls[0]?.origin, base);
  assert.equal(calls[1]?.origin, base);
  assert.equal(calls[0]?.bytes, Buffer.byteLength('{"path":"/users/7?token=abc"}'));
  assert.equal(calls[1]?.bytes, Buffer.byteLength('{"path":"/orders/9"}'), 'http.get: from the raw headers');
  for (const call of calls) {
    assert.ok(
      call.frames.frames().some((f) => f.url.includes('http-client.test.ts')),
      `${call.url}: the app's frame is on the stack`,
    );
    assert.ok(call.endedAt !== undefined && call.endedAt >= call.startedAt, `${call.url}: finished`);
  }
  const { http: records } = remoteCallsOf(request, false);
  assert.equal(records?.length, 3);
  // one after the other on the request's axis: each starts after the previous one ended
  for (let i = 1; i < 3; i++) {
    const previous = records?.[i - 1];
    const next = records?.[i];
    assert.ok(previous && next && next.startMs >= previous.startMs + previous.durationMs - 0.5);
  }
});

/** App code calling fetch (this file is culprit's own to the probe: it sits under src/probe/). */
const app = vm.runInThisContext(
  `({
    loadUser: (url) => fetch(url).then((r) => r.text()),
    loadWith: (kept, url) => kept(url).then((r) => r.text()),
  })`,
  { filename: '/srv/app/users.js' },
) as { loadUser(url: string): Promise<string>; loadWith(kept: typeof fetch, url: string): Promise<string> };

test("fetch's stack is taken by the global's wrapper, at the app's call; below the global itself for a fetch kept from before", async () => {
  listenHttp(false);
  const unwrapped = globalThis.fetch;
  setQueriesWanted(true);
  listenHttp(true);
  const wrapper = globalThis.fetch;
  assert.notEqual(wrapper, unwrapped, 'wrapped while a trace listens');
  assert.deepEqual([wrapper.name, wrapper.length], [unwrapped.name, unwrapped.length]);
  const request = scope();
  const below: unknown[] = [];
  const capture = Error.captureStackTrace;
  Error.captureStackTrace = (holder: object, fn?: (...args: never[]) => unknown) => {
    below.push(fn);
    capture(holder, fn);
  };
  try {
    await runInScope(request, async () => {
      await app.loadUser(`${base}/users/1`);
      await app.loadUser(`${base}/users/2`);
      globalThis.fetch = (() => Promise.reject(new Error('not called'))) as typeof fetch;
      try {
        await app.loadWith(unwrapped, `${base}/users/3`); // a fetch kept from before the trace, the global replaced since
      } finally {
        globalThis.fetch = wrapper;
      }
    });
  } finally {
    Error.captureStackTrace = capture;
  }
  const calls = (request.remote ?? []) as RawHttpCall[];
  assert.deepEqual(
    calls.map((c) => c.url),
    ['/users/1', '/users/2', '/users/3'],
  );
  for (const call of calls) {
    assert.equal(call.frames.appFrame()?.url, '/srv/app/users.js', `${call.url}: the app line`);
    assert.equal(call.frames.appFrame()?.line, call.url === '/users/3' ? 2 : 1);
    assert.equal(call.frames.frames()[0]?.url, '/srv/app/users.js', `${call.url}: no undici frame is read`);
  }
  // one capture per call: below the wrapper (undici's frames never walked), below the kept global for the third
  assert.deepEqual(below, [wrapper, wrapper, unwrapped]);
  listenHttp(false);
  assert.equal(globalThis.fetch, unwrapped, 'the global is the original again once no trace listens');
});

test("a redirect's request, created by undici on a later tick, takes its own stack", async () => {
  setQueriesWanted(true);
  listenHttp(true);
  const request = scope();
  await runInScope(request, () => app.loadUser(`${base}/redirect/users/4`));
  const calls = (request.remote ?? []) as RawHttpCall[];
  assert.deepEqual(
    calls.map((c) => [c.url, c.status]),
    [
      ['/redirect/users/4', 302],
      ['/users/4', 200],
    ],
  );
  assert.equal(calls[0]?.frames.frames()[0]?.url, '/srv/app/users.js');
  assert.match(calls[1]?.frames.frames()[0]?.url ?? '', /^node:/, "undici's callback: its frames are on the stack");
});

/**
 * A client like got: the app's call publishes its entry and the client takes it for its request at once
 * (got's flush); the request goes out later from the client's own callback, through the request function
 * the client picked, marked with that entry.
 */
const LIBRARY = '/srv/app/node_modules/client/index.js';
const library = vm.runInThisContext(
  `({
    call: (dc, take, request, url) => {
      const id = Math.random();
      dc.channel('got:request:create').publish({ requestId: id });
      const entry = take(id);
      return new Promise((resolve, reject) => setImmediate(() => request(entry)(url, (r) => r.resume().on('end', resolve)).on('error', reject)));
    },
  })`,
  { filename: LIBRARY },
) as {
  call(channels: typeof dc, take: typeof takeEntry, request: (entry: unknown) => unknown, url: string): Promise<void>;
};
const caller = vm.runInThisContext(
  `({
    viaClient: (library, dc, take, request, url) => library.call(dc, take, request, url),
    direct: (get, url) => new Promise((resolve) => get(url, (r) => r.resume().on('end', resolve))),
  })`,
  { filename: '/srv/app/orders.js' },
) as {
  viaClient(
    lib: typeof library,
    channels: typeof dc,
    take: typeof takeEntry,
    request: (entry: unknown) => unknown,
    url: string,
  ): Promise<void>;
  direct(get: typeof http.get, url: string): Promise<void>;
};
const markedGet = (entry: unknown) =>
  clientRequest(http.get as (...args: unknown[]) => unknown, entry as FrameSource | undefined);

test("a client's own http.get takes the frames of the app's call into it; the app's direct http.get after it its own", async () => {
  setQueriesWanted(true);
  listenHttp(true);
  const request = scope();
  await runInScope(request, async () => {
    await caller.viaClient(library, dc, takeEntry, markedGet, `${base}/orders/1`);
    await caller.direct(http.get, `${base}/orders/2`);
    // the app's own call while the client's call runs, at once (Promise.all)
    await Promise.all([
      caller.viaClient(library, dc, takeEntry, markedGet, `${base}/orders/3`),
      caller.direct(http.get, `${base}/orders/4`),
    ]);
  });
  const calls = (request.remote ?? []) as RawHttpCall[];
  const lines = Object.fromEntries(
    calls.map((c) => [c.url, `${c.frames.appFrame()?.url}:${c.frames.appFrame()?.line}`]),
  );
  assert.deepEqual(lines, {
    '/orders/1': '/srv/app/orders.js:1',
    '/orders/2': '/srv/app/orders.js:2',
    '/orders/3': '/srv/app/orders.js:1',
    '/orders/4': '/srv/app/orders.js:2',
  });
  for (const call of calls.filter((c) => c.url === '/orders/1' || c.url === '/orders/3')) {
    assert.ok(
      !call.frames.frames().some((frame) => frame.url === LIBRARY && frame.line === 2),
      `${call.url}: the client's callback is not on its stack (no stack of its own is taken)`,
    );
  }
});

test('a failed call is recorded with its error and the app still sees the failure', async () => {
  setQueriesWanted(true);
  listenHttp(true);
  const request = scope();
  await runInScope(request, async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(fetch(`http://127.0.0.1:${port}/nothing-listens`));
  });
  const [call] = (request.remote ?? []) as RawHttpCall[];
  assert.equal(call?.status, undefined);
  assert.ok(call?.error, 'the connection error is kept');
});

test('nothing is recorded and no channel is subscribed while no trace listens', async () => {
  listenHttp(false);
  setQueriesWanted(false);
  assert.equal(dc.channel('undici:request:create').hasSubscribers, false);
  assert.equal(dc.channel('http.client.request.start').hasSubscribers, false);
  const request = scope();
  await runInScope(request, async () => {
    await (await fetch(`${base}/users/1`)).text();
    await getBody(`${base}/users/2`);
  });
  assert.equal(request.remote, undefined);
});

test('the response size is read from a raw header list, Buffers (undici) or strings (node), any case', () => {
  const buffers = ['Content-Type', 'text/plain', 'Content-Length', '42'].map((text) => Buffer.from(text));
  assert.equal(lengthOf(buffers), 42);
  assert.equal(lengthOf(['x-content-length', '7', 'content-LENGTH', '0']), 0);
  assert.equal(lengthOf(['content-type', 'text/plain']), undefined, 'no Content-Length: no size');
  assert.equal(lengthOf(['Content-Length', 'many']), undefined, 'not a number: no size');
  assert.equal(lengthOf(undefined), undefined);
});
