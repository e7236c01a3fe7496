// Requests injected into a real http.Server in-process, without a client: what the
// server sees, what the injection answers, and connections kept or closed.
import assert from 'node:assert/strict';
import http, { type IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { injectRequest, rawRequest } from './memory-connection.js';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => resolve(body));
  });
}

test('rawRequest: HTTP/1.1 head with a host, the caller’s headers and a Content-Length for a body', () => {
  assert.equal(rawRequest({ method: 'GET', path: '/a?b=1' }), 'GET /a?b=1 HTTP/1.1\r\nhost: localhost\r\n\r\n');
  assert.equal(
    rawRequest({ method: 'POST', path: '/p', headers: { Host: 'example.test', 'x-a': '1' }, body: 'é' }),
    'POST /p HTTP/1.1\r\nHost: example.test\r\nx-a: 1\r\ncontent-length: 2\r\n\r\né',
  );
  assert.match(rawRequest({ method: 'DELETE', path: '/d' }), /^DELETE \/d HTTP\/1\.1\r\nhost: localhost\r\n\r\n$/);
  assert.match(rawRequest({ method: 'PUT', path: '/d' }), /content-length: 0\r\n\r\n$/);
  assert.throws(() => rawRequest({ method: 'GET', path: '/a b' }), /invalid characters in the request path/);
  assert.throws(() => rawRequest({ method: 'G T', path: '/' }), /invalid HTTP method/);
  assert.throws(() => rawRequest({ method: 'GET', path: '/', headers: { 'x-a': 'one\r\nx-b: two' } }));
});

test('injectRequest: the server sees method, path, headers and body; answers come back by status, one connection kept', async () => {
  const seen: Array<{ method?: string; url?: string; host?: string; body: string; socket: object }> = [];
  const server = http.createServer(async (req, res) => {
    seen.push({
      method: req.method,
      url: req.url,
      host: req.headers.host,
      body: await readBody(req),
      socket: req.socket,
    });
    res.statusCode = req.url === '/missing' ? 404 : 200;
    res.end(JSON.stringify({ big: 'x'.repeat(200_000) }));
  });
  assert.deepEqual(await injectRequest(server, { method: 'GET', path: '/a?x=1' }), { status: 200 });
  assert.deepEqual(await injectRequest(server, { method: 'POST', path: '/missing', body: '{"a":1}' }), { status: 404 });
  assert.deepEqual(
    seen.map(({ method, url, host, body }) => ({ method, url, host, body })),
    [
      { method: 'GET', url: '/a?x=1', host: 'localhost', body: '' },
      { method: 'POST', url: '/missing', host: 'localhost', body: '{"a":1}' },
    ],
  );
  assert.equal(seen[0]?.socket, seen[1]?.socket, 'kept alive between requests');
});

test('injectRequest: a connection the server closes is not reused; one closed without an answer fails the injection', async () => {
  const sockets = new Set<object>();
  const server = http.createServer((req, res) => {
    sockets.add(req.socket);
    if (req.url === '/drop') {
      req.socket.destroy();
      return;
    }
    res.setHeader('connection', 'close');
    res.end('bye');
  });
  assert.deepEqual(await injectRequest(server, { method: 'GET', path: '/' }), { status: 200 });
  assert.deepEqual(await injectRequest(server, { method: 'GET', path: '/' }), { status: 200 });
  assert.equal(sockets.size, 2, 'a fresh connection after the server closed one');
  await assert.rejects(
    injectRequest(server, { method: 'GET', path: '/drop' }),
    /closed the connection without answering/,
  );
});

test('injectRequest: requests in flight together each get their own answer', async () => {
  const server = http.createServer((req, res) => {
    const status = Number(req.url?.slice(1));
    setTimeout(() => {
      res.statusCode = status;
      res.end();
    }, 300 - status);
  });
  const answers = await Promise.all(
    [201, 202, 203].map((status) => injectRequest(server, { method: 'GET', path: `/${status}` })),
  );
  assert.deepEqual(
    answers.map((answer) => answer.status),
    [201, 202, 203],
  );
});
