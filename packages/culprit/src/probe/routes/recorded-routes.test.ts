// culprit/register's routes: noted only while a recorded request is open, so a request outside the sample
// pays no route note (Fastify's traced path is not taken then); `culprit watch` and a profile note every request's.
import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { closeScope, openScope, type RequestScope } from '../request-context.js';
import { routeTemplateOf, watchRouters } from './index.js';

const FASTIFY = 'fastify.request.handler';
const fastifyChannel = dc.tracingChannel(FASTIFY);
const scope = (): RequestScope => ({ requestId: 1, startedAt: 0, queries: [], closed: false });

/** A request Fastify handles under `url`, published as Fastify does when its channel has subscribers. */
function handled(url: string): IncomingMessage {
  const raw = {} as IncomingMessage;
  if (fastifyChannel.hasSubscribers) fastifyChannel.start.publish({ request: { raw }, route: { url } });
  return raw;
}

test('recorded only: Fastify is traced while a recorded request is open, and not before or after', () => {
  watchRouters(true, 'recorded');
  try {
    assert.equal(fastifyChannel.hasSubscribers, false, 'no recorded request yet: Fastify takes its untraced path');
    assert.equal(routeTemplateOf(handled('/before/:id')), undefined);
    const first = scope();
    const second = scope();
    openScope(first);
    openScope(second);
    assert.equal(fastifyChannel.hasSubscribers, true);
    const during = handled('/items/:id');
    assert.deepEqual(routeTemplateOf(during), { route: '/items/:id', from: 'fastify' });
    closeScope(first);
    assert.equal(fastifyChannel.hasSubscribers, true, 'one recorded request is still open');
    closeScope(second);
    assert.equal(fastifyChannel.hasSubscribers, false, 'the last recorded request closed');
    assert.deepEqual(routeTemplateOf(during), { route: '/items/:id', from: 'fastify' }, 'read after its close');
    assert.equal(routeTemplateOf(handled('/after/:id')), undefined);
  } finally {
    watchRouters(false);
  }
});

test('every request (a profile by route) wins over recorded only, and stopping ends both', () => {
  watchRouters(true, 'recorded');
  watchRouters(true);
  try {
    assert.equal(fastifyChannel.hasSubscribers, true);
    assert.deepEqual(routeTemplateOf(handled('/any/:id')), { route: '/any/:id', from: 'fastify' });
    const recorded = scope();
    openScope(recorded);
    closeScope(recorded);
    assert.equal(fastifyChannel.hasSubscribers, true, "a recorded request's close leaves every request watched");
  } finally {
    watchRouters(false);
  }
  assert.equal(fastifyChannel.hasSubscribers, false);
  const recorded = scope();
  openScope(recorded);
  assert.equal(fastifyChannel.hasSubscribers, false, 'stopped: a recorded request turns nothing on');
  closeScope(recorded);
});
