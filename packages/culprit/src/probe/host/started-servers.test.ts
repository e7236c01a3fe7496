// A module that exports nothing and listens by itself: which namespaces count
// as "nothing", and that its server is the one handed over.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { test } from 'node:test';
import { exportsNothing, firstListeningServer } from './started-servers.js';

test('exportsNothing: an ES module script, an empty CommonJS module; not a module with exports', () => {
  assert.equal(exportsNothing({}), true);
  assert.equal(exportsNothing({ default: {} }), true);
  assert.equal(exportsNothing({ default: { __esModule: true }, __esModule: true }), true);
  assert.equal(exportsNothing({ default: { AppModule: class {} } }), false);
  assert.equal(exportsNothing({ initDatabase: () => undefined }), false);
  assert.equal(exportsNothing({ default: () => undefined }), false);
  assert.equal(exportsNothing({ default: Promise.resolve({}) }), false);
  assert.equal(exportsNothing({ default: new (class App {})() }), false);
});

test('firstListeningServer: the first HTTP server to listen, not a plain TCP server; listen is put back', async () => {
  const before = net.Server.prototype.listen;
  const started = firstListeningServer();
  const tcp = net.createServer().listen(0, '127.0.0.1');
  const app = http.createServer((_req, res) => res.end('ok')).listen(0, '127.0.0.1');
  const other = http.createServer().listen(0, '127.0.0.1');
  assert.equal(await started, app);
  assert.equal(net.Server.prototype.listen, before);
  for (const server of [tcp, app, other]) server.close();
});
