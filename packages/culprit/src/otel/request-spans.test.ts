import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding, RequestRecord } from '../capture/types.js';
import { spanEncoder } from './otlp-encode.js';
import { operationOf, requestSpans } from './request-spans.js';
import { parseTraceParent, SpanKind, StatusCode } from './span-model.js';
import { decodeTraces } from './test-support/otlp-receiver.js';

const request: RequestRecord = {
  id: 1,
  method: 'POST',
  url: '/orders?user=?',
  status: 500,
  wallMs: 40,
  cpuMs: 12,
  bytes: 0,
  queries: [
    {
      driver: 'pg',
      sql: 'INSERT INTO orders (a) VALUES (?)',
      durationMs: 5,
      rows: 1,
      location: { file: 'file:///app/src/orders.ts', line: 12, column: 3, functionName: 'save' },
    },
    { driver: 'mysql2', sql: 'select * from stock', durationMs: 2, rows: null, error: 'deadlock' },
  ],
  foldedQueries: [{ driver: 'pg', sql: 'SELECT ? FROM audit', count: 900, rows: 900, durationMs: 80, errors: 0 }],
  constructions: [],
};
const finding: Finding = {
  rule: 'slow-query',
  severity: 'warning',
  title: 'slow',
  impact: 0.5,
  savesMs: 20.04,
  evidence: [],
  location: { file: '/app/src/orders.ts', line: 12, column: 3 },
};

function ids(): (digits: 16 | 32) => string {
  let n = 0;
  return (digits) => (++n).toString(16).padStart(digits, '0');
}

test('a request becomes a server span and one client span per query, laid on its time axis', () => {
  const parent = parseTraceParent(`00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`);
  assert.ok(parent);
  const spans = requestSpans({
    request,
    startUnixMs: 1_000_000,
    parent,
    scheme: 'https',
    host: 'shop.example:8443',
    route: '/orders',
    findings: [finding],
    newId: ids(),
  });
  const [server, insert, select] = spans;
  assert.ok(server && insert && select);
  assert.equal(server.traceId, 'a'.repeat(32));
  assert.equal(server.parentSpanId, 'b'.repeat(16));
  assert.equal(server.name, 'POST /orders');
  assert.equal(server.kind, SpanKind.server);
  assert.equal(server.status.code, StatusCode.error);
  assert.equal(server.attributes['server.port'], 8443);
  assert.equal(server.attributes['error.type'], '500');
  assert.equal(server.attributes['culprit.request.queries'], 902);
  assert.equal(server.endMs, 1_000_040);
  assert.equal(insert.name, 'INSERT orders');
  assert.equal(insert.attributes['db.system.name'], 'postgresql');
  assert.equal(insert.attributes['code.file.path'], '/app/src/orders.ts', 'file URLs become paths');
  assert.equal(insert.startMs, 1_000_000);
  assert.equal(select.startMs, 1_000_005, 'without offsets, back to back');
  assert.equal(select.attributes['db.system.name'], 'mysql');
  assert.equal(select.attributes['db.response.returned_rows'], undefined, 'unknown rows are left out');
  assert.deepEqual(select.status, { code: StatusCode.error, message: 'deadlock' });
  assert.deepEqual(
    server.events.map((event) => event.name),
    ['culprit.queries.folded', 'culprit.finding'],
  );
  assert.equal(server.events[1]?.attributes['culprit.finding.saves_ms'], 20);
});

test('the OTLP bytes decode with the official definitions to the same spans', () => {
  const spans = requestSpans({
    request,
    startUnixMs: 1_700_000_000_123.5,
    scheme: 'http',
    findings: [finding],
    newId: ids(),
  });
  const encode = spanEncoder({ resourceAttributes: { 'service.name': 'shop' }, scopeVersion: '1.2.3' });
  const decoded = decodeTraces(encode(spans));
  assert.equal(decoded.length, 3);
  const [server, insert] = decoded;
  assert.equal(server?.kind, 2, 'SERVER on the wire');
  assert.equal(insert?.kind, 3, 'CLIENT on the wire');
  assert.equal(server?.parentSpanId, '');
  assert.equal(insert?.parentSpanId, server?.spanId);
  assert.equal(server?.startMs, 1_700_000_000_123.5);
  assert.equal(server?.resource['service.name'], 'shop');
  assert.equal(insert?.attributes['code.line.number'], 12);
  assert.equal(server?.events[1]?.attributes['culprit.finding.rule'], 'slow-query');
});

test('traceparent: malformed, all-zero or version ff start a new trace', () => {
  assert.equal(parseTraceParent('00-abc-def-01'), undefined);
  assert.equal(parseTraceParent(`00-${'0'.repeat(32)}-${'b'.repeat(16)}-01`), undefined);
  assert.equal(parseTraceParent(`ff-${'a'.repeat(32)}-${'b'.repeat(16)}-01`), undefined);
  assert.equal(parseTraceParent(`00-${'a'.repeat(32)}-${'b'.repeat(16)}-00`)?.sampled, false);
});

test('operation names: the first keyword, a CTE named by what it does', () => {
  assert.equal(operationOf('select 1'), 'SELECT');
  assert.equal(operationOf('WITH x AS (SELECT 1) DELETE FROM t'), 'DELETE');
  assert.equal(operationOf('(SELECT 1) UNION (SELECT 2)'), 'SELECT');
});

test('outbound HTTP and Redis round trips are CLIENT spans on the request axis', () => {
  const spans = requestSpans({
    request: {
      ...request,
      status: 200,
      queries: [],
      foldedQueries: [],
      http: [
        {
          client: 'fetch',
          method: 'GET',
          origin: 'https://stock.internal',
          path: '/items/:id',
          url: '/items/42?fields=?',
          status: 503,
          startMs: 3,
          durationMs: 10,
        },
      ],
      redis: [
        {
          client: 'ioredis',
          command: 'PIPELINE',
          key: 'cart:?',
          commands: 3,
          batch: 'GET ×3',
          startMs: 15,
          durationMs: 1,
        },
      ],
    },
    startUnixMs: 5_000,
    scheme: 'http',
    findings: [],
    newId: ids(),
  });
  const [server, http, redis] = spans;
  assert.ok(server && http && redis);
  assert.equal(http.name, 'GET /items/:id');
  assert.equal(http.startMs, 5_003);
  assert.equal(http.attributes['url.full'], 'https://stock.internal/items/42?fields=?');
  assert.equal(http.attributes['server.port'], 443);
  assert.equal(http.status.code, StatusCode.error, 'a 5xx answer fails the call');
  assert.equal(redis.name, 'PIPELINE');
  assert.equal(redis.attributes['db.system.name'], 'redis');
  assert.equal(redis.attributes['db.operation.batch.size'], 3);
  assert.equal(redis.attributes['db.query.text'], 'PIPELINE cart:?');
  assert.equal(redis.endMs, 5_016);
});
