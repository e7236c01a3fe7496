// culprit keeps one connection to the target alive between requests; a server that closes it as idle
// just as the next request arrives must not turn that request into a failure of the app.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { LoopbackClient } from './http-client.js';

const OK = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\nok';

/** A server that answers each connection's first request and resets the connection at its second. */
async function closesIdleSockets(): Promise<{ port: number; connections: () => number; close: () => void }> {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    let requests = 0;
    socket.on('data', () => {
      requests += 1;
      if (requests === 1) socket.write(OK);
      else socket.resetAndDestroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  return { port: address.port, connections: () => connections, close: () => server.close() };
}

test('a request reset on a kept-alive socket the server dropped is sent again on a new one', async () => {
  const server = await closesIdleSockets();
  const client = new LoopbackClient('127.0.0.1', server.port);
  try {
    const request = { method: 'GET', path: '/', headers: {} };
    assert.equal((await client.send(request)).status, 200);
    assert.equal((await client.send(request)).status, 200);
    assert.equal(server.connections(), 2);
  } finally {
    client.close();
    server.close();
  }
});

test('a reset on a new socket is the server failing: reported, not sent again', async () => {
  const server = net.createServer((socket) => socket.on('data', () => socket.resetAndDestroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  const client = new LoopbackClient('127.0.0.1', address.port);
  try {
    await assert.rejects(client.send({ method: 'GET', path: '/', headers: {} }), /ECONNRESET/);
  } finally {
    client.close();
    server.close();
  }
});
