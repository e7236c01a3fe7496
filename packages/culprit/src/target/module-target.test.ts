// Module mode end to end: real fixture apps imported in a child process,
// requests injected in-process. Needs `npm run build` (the probe runs from dist).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isCulpritError } from '../errors/culprit-error.js';
import { openTarget } from './open-target.js';
import type { RunningTarget } from './types.js';

const fixtures = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));
const opened: RunningTarget[] = [];
after(async () => {
  await Promise.all(opened.map((target) => target.close()));
});

async function open(modulePath: string): Promise<RunningTarget> {
  const target = await openTarget({ mode: 'module', modulePath, cwd: fixtures, readyTimeoutMs: 15_000 });
  opened.push(target);
  await target.probe.configureTrace({ queries: true, constructions: true, stacks: false });
  return target;
}

function countOf(
  target: { constructions: Array<{ className: string; count: number }> },
  className: string,
): number | undefined {
  return target.constructions.find((c) => c.className === className)?.count;
}

describe('module mode', { concurrency: true }, () => {
  test('Express: exact constructions per request, items, bytes, status', async () => {
    const target = await open('trace-express/app.js');
    assert.equal(target.info.framework, 'express');
    const big = await target.send({ method: 'GET', path: '/items?n=1000' });
    const small = await target.send({ method: 'GET', path: '/items?n=5' });
    assert.equal(big.status, 200);
    assert.equal(countOf(big, 'Ephemeron'), 1000);
    assert.equal(countOf(big, 'Tag'), 3, 'a class with only fields is counted through its initializer');
    assert.equal(countOf(small, 'Ephemeron'), 5, 'counts are per request, not cumulative');
    assert.equal(big.items, 1000);
    assert.equal(big.bytes, JSON.stringify({ results: Array.from({ length: 1000 }, (_, id) => ({ id })) }).length);
    assert.match(big.constructions[0]?.location?.file ?? '', /trace-express\/app\.js$/);
    const posted = await target.send({
      method: 'POST',
      path: '/echo',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    assert.equal(posted.status, 201, 'middleware (express.json) ran on the injected body');
    assert.equal(posted.bytes, 7);
  });

  test('Express: event-loop blocking of a synchronous handler', async () => {
    const target = await open('trace-express/app.js');
    const blocked = await target.send({ method: 'GET', path: '/block?ms=60' });
    assert.ok((blocked.blockingMs ?? 0) >= 55, `blocking ${blocked.blockingMs} ms`);
    // the process's CPU counts all its threads (GC helpers, compiler threads): above the wall time on Node 24 in CI
    assert.ok(
      blocked.cpuMs > 0 && blocked.cpuMs <= blocked.wallMs * 2 + 10,
      `cpu ${blocked.cpuMs} ms, wall ${blocked.wallMs} ms`,
    );
    assert.ok(blocked.wallMs >= 60);
  });

  test('Fastify (a promise of the app), hooks included', async () => {
    const target = await open('trace-fastify/app.js');
    assert.equal(target.info.framework, 'fastify');
    const observed = await target.send({ method: 'GET', path: '/widgets?n=3' });
    assert.equal(observed.status, 200);
    assert.equal(countOf(observed, 'Widget'), 3);
    assert.equal(observed.items, 3);
  });

  test('Koa (CommonJS module.exports), Hono (named export), listener, fetch object, factory', async () => {
    const cases = [
      { module: 'trace-koa/app.cjs', framework: 'koa', path: '/?n=4', className: 'Row', count: 4, items: 4 },
      { module: 'trace-hono/app.js', framework: 'hono', path: '/cards/2', className: 'Card', count: 2, items: 2 },
      { module: 'trace-listener/app.js', framework: 'listener', path: '/x', className: 'Page', count: 2, items: 2 },
      { module: 'trace-fetch/app.js', framework: 'fetch', path: '/y', className: undefined, count: 0, items: 1 },
      {
        module: 'trace-factory/app.js',
        framework: 'fastify',
        path: '/health',
        className: undefined,
        count: 0,
        items: 1,
      },
    ];
    await Promise.all(
      cases.map(async (c) => {
        const target = await open(c.module);
        assert.equal(target.info.framework, c.framework, c.module);
        const observed = await target.send({ method: 'GET', path: c.path });
        assert.equal(observed.status, 200, c.module);
        assert.equal(observed.items, c.items, c.module);
        if (c.className) assert.equal(countOf(observed, c.className), c.count, c.module);
      }),
    );
  });

  test('TypeScript module: imported through tsx, locations mapped to the .ts file', async () => {
    const target = await open('trace-ts/app.ts');
    const observed = await target.send({ method: 'GET', path: '/api/ephemera?n=7' });
    assert.equal(observed.status, 200);
    assert.equal(countOf(observed, 'Ephemeron'), 7);
    const location = observed.constructions.find((c) => c.className === 'Ephemeron')?.location;
    assert.match(location?.file ?? '', /trace-ts\/app\.ts$/);
    assert.ok((location?.line ?? 0) >= 4 && (location?.line ?? 0) <= 5, `line ${location?.line}`);
  });

  test('a module exporting nothing usable: a usage error naming what was found and what is accepted', async () => {
    await assert.rejects(open('trace-bad/nothing.js'), (error: unknown) => {
      assert.ok(isCulpritError(error));
      assert.equal(error.code, 'CULPRIT_E_MODULE_UNUSABLE');
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /answer: number/);
      assert.match(error.message, /Express, Fastify, Koa or Hono app/);
      return true;
    });
  });
});

describe('ProbeControl', () => {
  test('CPU profile, call counts, scripts and source mapping in the target', async () => {
    const target = await openTarget({
      mode: 'module',
      modulePath: 'trace-ts/app.ts',
      cwd: fixtures,
      readyTimeoutMs: 15_000,
    });
    opened.push(target);
    // counts start at zero: the requests below only
    await target.probe.startCallCounts();
    await target.probe.startCpuProfile({ intervalUs: 100 });
    for (let i = 0; i < 3; i++) await target.send({ method: 'GET', path: '/api/ephemera?n=50' });
    const profile = await target.probe.stopCpuProfile();
    assert.ok(profile.nodes.length > 10);
    assert.ok((profile.samples?.length ?? 0) > 0);
    const counts = await target.probe.takeCallCounts();
    await target.probe.stopCallCounts();
    const app = counts.find((script) => script.url.endsWith('trace-ts/app.ts'));
    assert.ok(app, 'the TypeScript module is in the coverage');
    const load = app.functions.find((fn) => fn.functionName === 'load');
    assert.equal(load?.ranges[0]?.count, 3, 'load() ran once per request');
    const scripts = await target.probe.scripts();
    const script = scripts.find((s) => s.url.endsWith('trace-ts/app.ts'));
    assert.ok(script?.sourceMap, 'tsx output carries its source map');
    const source = await target.probe.scriptSource(app.scriptId);
    const offset = load?.ranges[0]?.startOffset ?? 0;
    const before = source.slice(0, offset);
    const line = before.split('\n').length - 1;
    const column = offset - (before.lastIndexOf('\n') + 1);
    const [mapped] = await target.probe.mapLocations([{ url: app.url, line, column }]);
    assert.match(mapped?.file ?? '', /trace-ts\/app\.ts$/);
    assert.equal(mapped?.line, 11, 'function load(count: number) is on line 11 of app.ts');
  });
});
