/**
 * The span processor with the real OpenTelemetry SDK (sdk-trace-base): the
 * app's own spans, exported by the app's own exporter, gain culprit's
 * attributes (app line, rows) and findings; culprit adds no span of its own.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { CulpritSpanProcessor } from './span-processor.js';

const fixture = fileURLToPath(new URL('../../../../fixtures/otel-sdk/app.mjs', import.meta.url));

function lineOf(text: string): number {
  return (
    readFileSync(fixture, 'utf8')
      .split('\n')
      .findIndex((line) => line.includes(text)) + 1
  );
}

test("the app's own spans get the app line, rows returned and culprit's findings; no span is added", async (t) => {
  const exporter = new InMemorySpanExporter();
  const culprit = new CulpritSpanProcessor();
  const provider = new BasicTracerProvider({ spanProcessors: [culprit, new SimpleSpanProcessor(exporter)] });
  t.after(() => provider.shutdown());
  const { startApp } = (await import(fixture)) as { startApp: (tracer: unknown) => Promise<Server> };
  const server = await startApp(provider.getTracer('app'));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as { port: number };

  const response = await fetch(`http://127.0.0.1:${port}/cards?limit=12`);
  assert.equal((JSON.parse(await response.text()) as unknown[]).length, 12);

  const spans = exporter.getFinishedSpans();
  assert.equal(spans.length, 14, 'the app made 1 server + 13 query spans and culprit added none');
  const server_ = spans.find((span) => span.kind === 1);
  assert.ok(server_);
  assert.equal(server_.attributes['culprit.request.queries'], 13);
  assert.equal(server_.attributes['culprit.request.rows'], 24);
  const finding = server_.events.find((event) => event.attributes?.['culprit.finding.rule'] === 'n-plus-one');
  assert.ok(finding, `an N+1 finding among ${JSON.stringify(server_.events)}`);
  assert.equal(finding.name, 'culprit.finding');
  const owners = spans.filter((span) => span.name === 'SELECT otel_sdk_owner');
  assert.equal(owners.length, 12);
  for (const span of owners) {
    assert.equal(span.attributes['db.response.returned_rows'], 1);
    assert.equal(span.attributes['code.file.path'], fixture);
    assert.equal(span.attributes['code.line.number'], lineOf("startSpan('SELECT otel_sdk_owner'"));
    assert.equal(span.attributes['code.function.name'], 'ownerName');
  }
  const list = spans.find((span) => span.name === 'SELECT otel_sdk_card');
  assert.equal(list?.attributes['db.response.returned_rows'], 12);
});

test('spans outside any request and spans of other kinds pass through untouched', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new CulpritSpanProcessor(), new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('job');
  tracer.startSpan('nightly job').end();
  tracer
    .startSpan('SELECT', { kind: 2, attributes: { 'db.system.name': 'sqlite', 'db.query.text': 'SELECT 1' } })
    .end();
  const [job, query] = exporter.getFinishedSpans();
  assert.deepEqual(job?.attributes, {});
  assert.equal(query?.attributes['db.response.returned_rows'], undefined, 'no recorded query to take rows from');
  assert.equal(typeof query?.attributes['code.line.number'], 'number', 'the line is known from the stack alone');
});
