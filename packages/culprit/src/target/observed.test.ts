import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProbeRequest } from '../probe/protocol.js';
import { FrameMapper, QueryTableBuilder, toProbeQuery } from '../probe/query-records.js';
import type { RawFrame, RawQueryEvent } from '../probe/request-context.js';
import { observedFrom } from './observed.js';

/** A 40-frame stack as an ORM loop gives it: the app's two frames under 38 of a library's. */
function loopStack(appLine: number): RawFrame[] {
  const library = Array.from({ length: 38 }, (_, i) => ({
    url: `/srv/shop/node_modules/orm/lib/layer-${i}.js`,
    line: 100 + i,
    column: 8,
    functionName: `step${i}`,
  }));
  return [
    ...library,
    { url: '/srv/shop/src/orders.js', line: appLine, column: 20, functionName: 'loadLines' },
    { url: '/srv/shop/src/routes.js', line: 41, column: 4, functionName: 'handler' },
  ];
}

function recordOf(events: RawQueryEvent[]): ProbeRequest {
  const frames = new FrameMapper();
  const tables = new QueryTableBuilder();
  return {
    method: 'GET',
    url: '/orders',
    status: 200,
    wallMs: 1,
    cpuMs: 1,
    bytes: 2,
    scopeId: 1,
    marker: 'm-1',
    queries: events.map((event) => toProbeQuery(event, true, frames, tables)),
    tables: tables.tables,
    constructions: [],
  };
}

const SQL =
  'SELECT "line"."id", "line"."order_id", "line"."sku", "line"."qty", "line"."price" FROM "line" WHERE "line"."order_id" = $1';

test('a loop of queries sends its statement and stack once; each repeat costs its own fields only', () => {
  const events: RawQueryEvent[] = Array.from({ length: 2000 }, (_, i) => ({
    driver: 'pg',
    sql: SQL,
    params: [i],
    durationMs: 0.2,
    rows: 3,
    stack: loopStack(11),
  }));
  events.push({ driver: 'pg', sql: 'SELECT 1', durationMs: 0.1, rows: 1, stack: loopStack(30) });
  const record = recordOf(events);
  assert.equal(record.tables.statements.length, 2);
  assert.equal(record.tables.stacks.length, 2, 'one stack per issuing line');
  assert.equal(record.tables.locations.length, 41, '38 library frames and three app lines');
  const wire = JSON.stringify(record);
  const tablesBytes = JSON.stringify(record.tables).length;
  const perQuery = (wire.length - tablesBytes) / events.length;
  assert.ok(perQuery < 120, `a repeated query costs ${perQuery.toFixed(0)} bytes on the wire`);

  const observed = observedFrom(1, JSON.parse(wire) as ProbeRequest);
  const [first, second, last] = [observed.queries[0], observed.queries[1], observed.queries.at(-1)];
  assert.equal(first?.sql, SQL);
  assert.deepEqual(first?.params, [0]);
  assert.deepEqual(second?.params, [1]);
  assert.equal(first?.stack?.length, 40);
  assert.equal(first?.stack, second?.stack, 'repeats share one stack array');
  assert.equal(first?.location, second?.location);
  assert.equal(first?.location?.file, '/srv/shop/src/orders.js');
  assert.equal(first?.location?.line, 12, 'capture lines are 1-based');
  assert.equal(first?.stack?.[38], first?.location, 'the location is the stack frame itself');
  assert.equal(last?.sql, 'SELECT 1');
  assert.equal(last?.location?.line, 31);
  assert.notEqual(last?.stack, first?.stack);
  assert.equal(last?.stack?.[0], first?.stack?.[0], 'stacks share their common frames');
});

test('without stacks a query carries its location only', () => {
  const frames = new FrameMapper();
  const tables = new QueryTableBuilder();
  const query = toProbeQuery(
    { driver: 'mysql2', sql: 'SELECT 2', durationMs: 1, rows: null, error: 'boom', stack: loopStack(5) },
    false,
    frames,
    tables,
  );
  assert.equal(query.stackId, undefined);
  assert.equal(tables.tables.stacks.length, 0);
  const observed = observedFrom(2, { ...recordOf([]), queries: [query], tables: tables.tables });
  assert.equal(observed.queries[0]?.stack, undefined);
  assert.equal(observed.queries[0]?.location?.line, 6);
  assert.equal(observed.queries[0]?.error, 'boom');
  assert.equal(observed.queries[0]?.rows, null);
});

test("a query's rows read and the line its builder was made at reach the capture record", () => {
  const built: RawFrame = { url: '/srv/shop/src/repo.js', line: 6, column: 12, functionName: 'all' };
  const event: RawQueryEvent = {
    driver: 'pg',
    sql: 'select * from "docs"',
    durationMs: 40,
    rows: 300,
    read: { bytes: 15_000_000, wide: [{ name: 'body', bytes: 50_000 }], narrow: ['id', 'title'] },
    stack: loopStack(11),
    builtAt: () => built,
  };
  const [query] = observedFrom(1, recordOf([event])).queries;
  assert.deepEqual(query?.read, event.read);
  assert.equal(query?.builtAt?.line, 7, '1-based once mapped');
  assert.equal(query?.location?.line, 12, 'the first application frame stays the location');
});
