import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCulpritError } from '../errors/culprit-error.js';
import { parseProfileArgs } from './cli-options.js';

test('profile takes a bare path as trace and diagnose do: the port is learned from the server', () => {
  const options = parseProfileArgs(['/api/items?page=2', '--', 'npm', 'start'], '/srv/shop');
  assert.ok('target' in options);
  assert.equal(options.target.mode, 'command');
  assert.equal('port' in options.target, false, 'no port: the probe reports it');
  assert.equal(options.request.path, '/api/items?page=2');
  const root = parseProfileArgs(['/', '--', 'node', 'server.js'], '/srv/shop');
  assert.ok('request' in root);
  assert.equal(root.request.path, '/');
});

test('a full URL keeps its port; a word that is neither URL nor path is refused', () => {
  const options = parseProfileArgs(['http://127.0.0.1:4100/x', '--', 'node', 'server.js'], '/srv/shop');
  assert.ok('target' in options && options.target.mode === 'command');
  assert.equal(options.target.port, 4100);
  assert.throws(
    () => parseProfileArgs(['items', '--', 'node', 'server.js'], '/srv/shop'),
    (error: unknown) => isCulpritError(error) && error.exitCode === 2,
  );
});

test('module mode takes PATH alone (GET, or -X/-d as curl) as well as METHOD PATH', () => {
  const bare = parseProfileArgs(['--app', 'app.mjs', '/timer'], '/srv/shop');
  assert.ok('request' in bare && bare.target.mode === 'module');
  assert.deepEqual(bare.request, { method: 'GET', path: '/timer' });
  const posted = parseProfileArgs(['--app', 'app.mjs', '-d', 'a=1', '/items'], '/srv/shop');
  assert.ok('request' in posted);
  assert.equal(posted.request.method, 'POST');
  const put = parseProfileArgs(['--app', 'app.mjs', '-X', 'PUT', '/items/1'], '/srv/shop');
  assert.ok('request' in put);
  assert.equal(put.request.method, 'PUT');
  const both = parseProfileArgs(['--app', 'app.mjs', 'delete', '/items/1'], '/srv/shop');
  assert.ok('request' in both);
  assert.equal(both.request.method, 'DELETE');
  for (const args of [
    ['--app', 'app.mjs', 'GET'],
    ['--app', 'app.mjs', 'GET', '/a', '/b'],
  ]) {
    assert.throws(
      () => parseProfileArgs(args, '/srv/shop'),
      (error: unknown) => isCulpritError(error) && error.exitCode === 2 && /\[METHOD\] PATH/.test(error.message),
    );
  }
});
