/**
 * An OTLP/HTTP receiver of the tests' own, on 127.0.0.1: it decodes each
 * export with the official OpenTelemetry protobuf definitions (the generated
 * decoders @opentelemetry/otlp-transformer 0.216 shipped, installed as the
 * `otlp-protos` devDependency: later releases no longer ship decoders) and
 * keeps the spans flat, attributes as a plain record. It can also answer 500
 * or never answer, to play a failing or stuck collector.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

export type ReceiverMode = 'ok' | 'error500' | 'hang';

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP wire value: 2 server, 3 client. */
  kind: number;
  startMs: number;
  endMs: number;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; attributes: Record<string, unknown> }>;
  status: { code: number; message: string };
  resource: Record<string, unknown>;
  scope: string;
}

export interface Receiver {
  url: string;
  spans: ReceivedSpan[];
  /** Export requests received (decoded or not), with their headers. */
  requests: Array<{ path: string; headers: IncomingMessage['headers'] }>;
  close(): Promise<void>;
}

interface Codec {
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options: Record<string, unknown>): unknown;
}

const root: unknown = createRequire(import.meta.url)('otlp-protos/build/src/generated/root.js');
const codec = (
  root as { opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: Codec } } } } } }
).opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

type Json = Record<string, unknown>;

function anyValue(value: Json | undefined): unknown {
  if (!value) return undefined;
  for (const key of ['stringValue', 'boolValue', 'intValue', 'doubleValue']) if (key in value) return value[key];
  return value;
}

function attributesOf(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const entry of (list as Array<{ key: string; value?: Json }> | undefined) ?? [])
    out[entry.key] = anyValue(entry.value);
  return out;
}

const hex = (base64: unknown): string =>
  typeof base64 === 'string' ? Buffer.from(base64, 'base64').toString('hex') : '';

/** Decodes one ExportTraceServiceRequest body into flat spans. */
export function decodeTraces(body: Uint8Array): ReceivedSpan[] {
  const message = codec.toObject(codec.decode(body), { longs: Number, bytes: String, defaults: true });
  const spans: ReceivedSpan[] = [];
  for (const rs of ((message as Json).resourceSpans as Json[] | undefined) ?? []) {
    const resource = attributesOf((rs.resource as Json | undefined)?.attributes);
    for (const ss of (rs.scopeSpans as Json[] | undefined) ?? []) {
      const scope = String((ss.scope as Json | undefined)?.name ?? '');
      for (const span of (ss.spans as Json[] | undefined) ?? []) {
        const status = (span.status as Json | undefined) ?? {};
        spans.push({
          traceId: hex(span.traceId),
          spanId: hex(span.spanId),
          parentSpanId: hex(span.parentSpanId),
          name: String(span.name),
          kind: Number(span.kind),
          startMs: Number(span.startTimeUnixNano) / 1e6,
          endMs: Number(span.endTimeUnixNano) / 1e6,
          attributes: attributesOf(span.attributes),
          events: ((span.events as Json[] | undefined) ?? []).map((event) => ({
            name: String(event.name),
            attributes: attributesOf(event.attributes),
          })),
          status: { code: Number(status.code ?? 0), message: String(status.message ?? '') },
          resource,
          scope,
        });
      }
    }
  }
  return spans;
}

export async function startReceiver(mode: ReceiverMode = 'ok'): Promise<Receiver> {
  const spans: ReceivedSpan[] = [];
  const requests: Receiver['requests'] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ path: request.url ?? '', headers: request.headers });
      if (mode === 'hang') {
        hanging.add(response);
        return;
      }
      if (mode === 'error500') {
        response.writeHead(500).end('collector down');
        return;
      }
      spans.push(...decodeTraces(Buffer.concat(chunks)));
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    requests,
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
