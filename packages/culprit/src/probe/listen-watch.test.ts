import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { Server } from 'node:net';
import { test } from 'node:test';
import { hasListenChannel, watchListening } from './listen-watch.js';

test('hasListenChannel: the Node versions whose listen publishes tracing:net.server.listen', () => {
  const table: Array<[string, boolean]> = [
    ['20.19.0', false],
    ['20.20.2', true],
    ['21.7.3', false],
    ['22.2.0', false],
    ['22.3.0', true],
    ['24.22.3', true],
  ];
  assert.deepEqual(
    table.map(([version]) => [version, hasListenChannel(version)]),
    table,
  );
});

test('each listening server is reported once with its port, by the tracing channel and by the listen wrapper', async () => {
  const byChannel: Array<[number, boolean]> = [];
  const byWrapper: Array<[number, boolean]> = [];
  if (hasListenChannel()) watchListening((port, _address, secure) => byChannel.push([port, secure]), { channel: true });
  watchListening((port, _address, secure) => byWrapper.push([port, secure]), { channel: false });
  const servers: Server[] = [http.createServer(), https.createServer()];
  const ports: Array<[number, boolean]> = [];
  for (const [index, server] of servers.entries()) {
    let heardFirst = false;
    server.listen(0, '127.0.0.1', () => {
      heardFirst = byWrapper.length === index + 1; // the probe hears of the port before the app's callback
    });
    await once(server, 'listening');
    const address = server.address();
    assert.ok(address && typeof address === 'object');
    ports.push([address.port, index === 1]);
    assert.ok(heardFirst);
  }
  for (const server of servers) server.close();
  assert.deepEqual(byWrapper, ports);
  if (hasListenChannel()) assert.deepEqual(byChannel, ports);
});
