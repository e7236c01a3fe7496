// culprit watch groups requests by the route template Koa's router (@koa/router)
// and Hono's router matched, in command mode (the app's own server: Koa's
// listen, @hono/node-server) and module mode; names that are not ids
// (`/owners/alice`) only group through the router; paths no router matched are
// folded. Needs `npm run build` (the probe runs from dist).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Capture } from '../capture/types.js';
import { freePort, routeLines, startWatch } from './test-support/start-watch.js';

const fixtures = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));

/** Runs `culprit watch` over `args`, sends `paths` one after another, and returns the routes it saved. */
async function watchRoutes(args: string[], cwd: string, paths: string[], port?: number): Promise<string[]> {
  const save = join(mkdtempSync(join(tmpdir(), 'culprit-routers-')), 'watch.json');
  const watch = await startWatch(['--save', save, ...args], cwd, port);
  for (const path of paths) {
    const response = await fetch(`${watch.url}${path}`);
    await response.arrayBuffer();
    assert.ok(response.status < 500, `${path}: ${response.status}`);
  }
  const { code, stderr } = await watch.stop();
  assert.equal(code, 0, stderr);
  return routeLines(JSON.parse(readFileSync(save, 'utf8')) as Capture).filter((line) => !line.includes('/health '));
}

const koaPaths = ['/api/cards/1', '/api/cards/2', '/api/cards/3', '/api/owners/alice/cards', '/api/owners/bob/cards'];
const koaRoutes = ['GET /api/cards/:id koa 3', 'GET /api/owners/:owner/cards koa 2', 'GET /rows/:id folded 2'];

const honoPaths = ['/cards/1', '/cards/2', '/api/owners/alice/cards', '/api/owners/bob/cards', '/api/owners/eve/cards'];
const honoRoutes = ['GET /api/owners/:owner/cards hono 3', 'GET /cards/:n hono 2', 'GET /nope/:id folded 1'];

describe('route templates from Koa and Hono routers', { concurrency: true }, () => {
  test('Koa, command mode (app.listen): @koa/router templates with their prefix; other paths folded', async () => {
    const routes = await watchRoutes(['--', 'node', 'server.cjs'], join(fixtures, 'trace-koa'), [
      ...koaPaths,
      '/rows/7?n=2',
      '/rows/8',
    ]);
    assert.deepEqual(routes, koaRoutes);
  });

  test('Koa, module mode', async () => {
    const port = await freePort();
    const routes = await watchRoutes(
      ['--app', 'app.cjs', '--port', String(port), '--json'],
      join(fixtures, 'trace-koa'),
      [...koaPaths, '/rows/7?n=2', '/rows/8'],
      port,
    );
    assert.deepEqual(routes, koaRoutes);
  });

  test('Hono, command mode (@hono/node-server): a lone handler and a sub-app behind middleware', async () => {
    const routes = await watchRoutes(['--', 'node', 'server.js'], join(fixtures, 'trace-hono'), [
      ...honoPaths,
      '/nope/5',
    ]);
    assert.deepEqual(routes, honoRoutes);
  });

  test('Hono, module mode (app.js#app)', async () => {
    const port = await freePort();
    const routes = await watchRoutes(
      ['--app', 'app.js#app', '--port', String(port), '--json'],
      join(fixtures, 'trace-hono'),
      [...honoPaths, '/nope/5'],
      port,
    );
    assert.deepEqual(routes, honoRoutes);
  });
});
