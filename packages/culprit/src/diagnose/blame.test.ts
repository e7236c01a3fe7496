import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryRecord, RequestRecord, SourceLocation } from '../capture/types.js';
import { divergingFrame, formatChain, loopFrame } from './blame.js';
import { funnelsOf, type QueryFact, queryFactsOf } from './facts/query-facts.js';
import { at as frame } from './test-support/query-frames.js';

const orm = frame('getMany', '/app/node_modules/typeorm/SelectQueryBuilder.js', 832, { package: 'typeorm' });
const tick = frame('processTicksAndRejections', 'node:internal/process/task_queues', 95);

/** Stacks as the probe records them: innermost first. */
function query(sql: string, rows: number, ...appFrames: SourceLocation[]): QueryRecord {
  return { driver: 'pg', sql, durationMs: 1, rows, stack: [orm, tick, ...appFrames] };
}

function factsFor(...queries: QueryRecord[]): QueryFact[] {
  const request: RequestRecord = {
    id: 1,
    method: 'GET',
    url: '/',
    status: 200,
    wallMs: 10,
    cpuMs: 5,
    bytes: 10,
    queries,
    constructions: [],
  };
  return queryFactsOf(request, funnelsOf([request]));
}

test('the story: blames the frame where the table load leaves the path of the other queries', () => {
  const facts = factsFor(
    query(
      'SELECT one',
      1,
      frame('get', '/app/src/api/queryset.ts', 44),
      frame('getObject', '/app/src/api/viewset.ts', 63),
      frame('retrieve', '/app/src/api/viewset.ts', 79),
    ),
    query(
      'SELECT all',
      30_000,
      frame('all', '/app/src/api/queryset.ts', 62),
      frame('isTruthy', '/app/src/api/queryset.ts', 72),
      frame('getSerializer', '/app/src/api/incident.ts', 14),
      frame('retrieve', '/app/src/api/viewset.ts', 80),
    ),
  );
  const blamed = divergingFrame(facts[1] as QueryFact, facts);
  assert.equal(blamed?.functionName, 'getSerializer');
  assert.equal(blamed?.line, 14);
});

test("a new connection's setup statement in the request is no path of the app's: the load keeps its own line", () => {
  const handler = frame('', '/app/src/app.js', 16);
  const facts = factsFor(
    query('PRAGMA journal_mode = WAL', 0, frame('afterCreate', '/app/src/db/knex.js', 17)),
    query(
      'select * from `orders`',
      60_000,
      frame('getOpenOrders', '/app/src/services/orders.js', 35),
      frame('', '/app/src/routes/orders.js', 14),
      handler,
    ),
  );
  assert.equal(divergingFrame(facts[1] as QueryFact, facts)?.line, 35);
  // a middleware's read beside the handler's still parts the paths at the handler's first frame
  const withMiddleware = factsFor(
    query('SELECT * FROM sessions WHERE id = ?', 1, frame('session', '/app/src/session.js', 8)),
    query('select * from `orders`', 60_000, frame('getOpenOrders', '/app/src/services/orders.js', 35), handler),
  );
  assert.equal(divergingFrame(withMiddleware[1] as QueryFact, withMiddleware)?.line, 16);
});

test('a generic query helper is a funnel: the line that called it is blamed, not the helper', () => {
  const helper = frame('query', '/app/db/pool.js', 5);
  const facts = factsFor(
    query('SELECT * FROM recipes WHERE id = $1', 1, helper, frame('getRecipe', '/app/routes/recipes.js', 30)),
    query('SELECT * FROM recipes', 40_000, helper, frame('getRecipe', '/app/routes/recipes.js', 33)),
  );
  const load = facts[1] as QueryFact;
  assert.equal(divergingFrame(load, facts)?.line, 33);
  assert.equal(load.statementLine?.line, 33, 'the helper runs any SQL: the statement is written by its caller');
});

test('one ORM call that issues two statements of its own writes them: its line, not its caller, is the statement line', () => {
  // findOne with an eager relation and a limit: the distinct ids first, then the rows with their relation
  const service = frame('findComments', '/app/src/article.service.ts', 166);
  const controller = frame('findComments', '/app/src/article.controller.ts', 44);
  const facts = factsFor(
    query('SELECT DISTINCT ids FROM (SELECT … FROM article WHERE slug = ?) LIMIT 1', 1, service, controller),
    query('SELECT … FROM article LEFT JOIN comment … WHERE article.id IN (?)', 45, service, controller),
  );
  assert.equal(facts[0]?.statementLine?.line, 166);
  assert.equal(facts[1]?.statementLine?.line, 166);
});

test('a repository method called from two places is where the statement is written, not where to fix a loop', () => {
  const repo = frame('findById', '/app/repo/users.js', 12);
  const facts = factsFor(
    query('SELECT * FROM users WHERE id = ?', 1, repo, frame('auth', '/app/middleware.js', 8)),
    query('SELECT * FROM users WHERE id = ?', 1, repo, frame('list', '/app/routes/list.js', 40)),
  );
  assert.equal(facts[1]?.statementLine?.line, 12);
  assert.equal(facts[1]?.site?.line, 40);
});

test('without an app frame, the ORM entry point the app called is kept', () => {
  const [fact] = factsFor({ driver: 'pg', sql: 'SELECT 1', durationMs: 1, rows: 1, stack: [orm, tick] });
  assert.equal(fact?.site, undefined);
  assert.equal(fact?.libraryCall?.package, 'typeorm');
});

test('a loop that awaits per item is the function resumed after each await', () => {
  const handler = frame('list', '/app/routes/articles.js', 20, { async: true });
  const loopBody = (line: number) => frame('serialize', '/app/routes/articles.js', line);
  const facts = factsFor(
    query('SELECT author', 1, loopBody(58), handler),
    query('SELECT tags', 1, loopBody(59), handler),
    query('SELECT author', 1, loopBody(58), handler),
    query('SELECT tags', 1, loopBody(59), handler),
  );
  const groups = [
    [facts[0], facts[2]],
    [facts[1], facts[3]],
  ] as QueryFact[][];
  assert.deepEqual(
    { line: loopFrame(groups).location?.line, inside: loopFrame(groups).inside },
    { line: 58, inside: true },
  );
});

test('a handler the framework awaits (Hapi) loops through a repository: the handler resumed per item is the loop', () => {
  // pg's pool ticks below the app's first frame; the handler's await resumes from the microtask queue,
  // and above it only the framework's async frames, which are no app frames
  const hapi = frame('execute', '/app/node_modules/@hapi/hapi/lib/toolkit.js', 60, {
    package: '@hapi/hapi',
    async: true,
  });
  const perItem = (): QueryRecord => ({
    driver: 'pg',
    sql: 'SELECT * FROM variants WHERE product_id = ?',
    durationMs: 1,
    rows: 4,
    stack: [
      frame('_acquireClient', '/app/node_modules/pg-pool/index.js', 357, { package: 'pg-pool' }),
      tick,
      frame('query', '/app/src/db.js', 20),
      frame('findVariantsForProduct', '/app/src/repositories/products.js', 27),
      frame('handler', '/app/src/routes/categories.js', 45),
      tick,
      hapi,
    ],
  });
  const facts = factsFor(perItem(), perItem(), perItem());
  assert.deepEqual(loopFrame([facts]).location, frame('handler', '/app/src/routes/categories.js', 45));
});

test('a stack that never left the synchronous call (a sync driver, the first item) names no resumed function', () => {
  const express = frame('handle', '/app/node_modules/express/lib/router/layer.js', 95, { package: 'express' });
  const facts = factsFor({
    driver: 'better-sqlite3',
    sql: 'SELECT 1',
    durationMs: 1,
    rows: 1,
    stack: [frame('get', '/app/src/db.js', 9), frame('show', '/app/src/routes/items.js', 14), express],
  });
  assert.equal(facts[0]?.resumedAt, undefined);
});

test('the chain reads from the handler down to the query', () => {
  assert.equal(
    formatChain([
      frame('retrieve', '/app/src/api/viewset.ts', 80),
      frame('getSerializer', '/app/src/api/incident.ts', 14),
    ]),
    'retrieve (viewset.ts:80) → getSerializer (incident.ts:14)',
  );
});

test('with exact counts, a synchronous loop is the function that ran fewer times than its queries', () => {
  const service = frame('upcoming', '/app/src/EventService.ts', 18);
  const repo = frame('findById', '/app/src/VenueRepository.ts', 10);
  const facts = factsFor(...[1, 2, 3].map(() => query('SELECT venue', 1, repo, service)));
  const calls = (f: SourceLocation) => ({ upcoming: 1, findById: 3 })[f.functionName as 'upcoming' | 'findById'];
  assert.deepEqual(loopFrame([facts], calls).location?.line, 18);
  assert.equal(loopFrame([facts]).location?.line, 10, 'without counts: the statement line');
});

test('an awaiting loop whose first item ran before any await: counts are not trusted, the resumed function is the loop', () => {
  // for (const order of orders) out.push(await present(order)): present → lookup; the route awaited before the loop
  const route = (async: boolean) => frame('(anonymous)', '/srv/routes/orders.js', 31, { async });
  const loop = frame('presentAll', '/srv/presenters/order.js', 44);
  const present = frame('present', '/srv/presenters/order.js', 12);
  const lookup = frame('lookup', '/srv/data/customers.js', 7);
  const first = query('SELECT customer', 1, lookup, present, loop, route(false));
  const rest = Array.from({ length: 39 }, () => query('SELECT customer', 1, lookup, present, loop, route(true)));
  const facts = factsFor(first, ...rest);
  // V8's counts include resumptions: the route is entered 3 times, the loop's function 41, per-item ones 80
  const counts: Record<string, number> = { '(anonymous)': 3, presentAll: 41, present: 80, lookup: 80 };
  const calls = (f: SourceLocation) => counts[f.functionName ?? ''];
  assert.deepEqual(loopFrame([facts], calls).location, loop);
});

test('a library that calls the app once per item is the loop: its call into the app is named', () => {
  // graphql-js resolves `orders` for each of 300 customers: resolver → service → repository → query helper
  const executor = frame('executeField', '/app/node_modules/graphql/execution/execute.js', 738, { package: 'graphql' });
  const resolver = frame('orders', '/app/src/graphql/resolvers.ts', 34);
  const service = frame('ordersFor', '/app/src/services/customerService.ts', 25);
  const repo = frame('findByCustomerId', '/app/src/repositories/orderRepository.ts', 13);
  const perItem = (): QueryRecord => ({
    driver: 'pg',
    sql: 'SELECT orders',
    durationMs: 1,
    rows: 3,
    stack: [orm, repo, service, resolver, executor],
  });
  const facts = factsFor(...Array.from({ length: 300 }, perItem));
  const counts: Record<string, number> = { orders: 600, ordersFor: 600, findByCustomerId: 600 };
  const blamed = loopFrame([facts], (f) => counts[f.functionName ?? '']);
  assert.deepEqual([blamed.location?.line, blamed.calledPerItemBy], [34, 'graphql']);
  // called by no library (the app's own code above it, not recorded): the statement's line stays
  const unowned = factsFor(
    ...Array.from({ length: 300 }, () => ({ ...perItem(), stack: [orm, repo, service, resolver] })),
  );
  const plain = loopFrame([unowned], (f) => counts[f.functionName ?? '']);
  assert.deepEqual([plain.location?.line, plain.calledPerItemBy], [13, undefined]);
});
