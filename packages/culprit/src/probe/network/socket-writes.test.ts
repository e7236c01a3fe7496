// Socket writes counted in the request's scope: client sockets only, only
// while listening, and the remote known even when written before connecting.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { type RequestScope, runInScope } from '../request-context.js';
import { installSocketWatch, listenNetwork, markOwnSocket, networkOf } from './socket-writes.js';

installSocketWatch();

function scope(): RequestScope {
  return { requestId: 1, queries: [], closed: false };
}

test('writes and connects per remote; server-side, own and out-of-scope sockets left out', async () => {
  const accepted: net.Socket[] = [];
  const server = net.createServer((socket) => {
    accepted.push(socket);
    socket.on('data', () => socket.write('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const request = scope();
  listenNetwork(true);
  const client = runInScope(request, () => {
    const socket = net.createConnection({ host: '127.0.0.1', port });
    socket.write('hello'); // before the connection is up
    socket.write(Buffer.from([1, 2, 3]));
    return socket;
  });
  const own = net.createConnection({ host: '127.0.0.1', port });
  markOwnSocket(own);
  runInScope(request, () => own.write('mine'));
  client.write('outside any request'); // no scope here
  await new Promise((resolve) => client.once('data', resolve));
  listenNetwork(false);
  runInScope(request, () => client.write('not listening'));
  assert.deepEqual(networkOf(request), [
    { remote: `127.0.0.1:${port}`, kind: 'tcp', writes: 2, bytes: 8, connects: 1 },
  ]);
  for (const socket of [client, own, ...accepted]) socket.destroy();
  server.close();
});

test('a closed scope records nothing', () => {
  listenNetwork(true);
  const request = { ...scope(), closed: true };
  const socket = new net.Socket();
  runInScope(request, () => socket.write('x', () => undefined));
  listenNetwork(false);
  socket.destroy();
  assert.equal(networkOf(request), undefined);
});

test('a socket made with new net.Socket() and connected (as pg and mysql2 do) counts its connects, once each', async () => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const request = scope();
  listenNetwork(true);
  const sockets = runInScope(request, () =>
    [1, 2, 3].map(() => {
      const socket = new net.Socket();
      socket.connect(port, '127.0.0.1');
      socket.write('startup');
      return socket;
    }),
  );
  await Promise.all(sockets.map((socket) => new Promise((resolve) => socket.once('connect', resolve))));
  listenNetwork(false);
  assert.deepEqual(networkOf(request), [
    { remote: `127.0.0.1:${port}`, kind: 'tcp', writes: 3, bytes: 21, connects: 3 },
  ]);
  for (const socket of sockets) socket.destroy();
  // closed before the request ends (a client per query, ended after it): the peer is the address dialled
  const closing = scope();
  listenNetwork(true);
  const once = runInScope(closing, () => new net.Socket().connect({ port, host: '127.0.0.1' }));
  await new Promise((resolve) => once.once('connect', resolve));
  once.destroy();
  await new Promise((resolve) => once.once('close', resolve));
  listenNetwork(false);
  assert.deepEqual(networkOf(closing), [
    { remote: `127.0.0.1:${port}`, kind: 'tcp', writes: 0, bytes: 0, connects: 1 },
  ]);
  server.close();
});
