/**
 * Spans as culprit builds them for OpenTelemetry: plain data, times in Unix
 * milliseconds, ids as lowercase hex. `otlp-encode.ts` turns them into OTLP;
 * nothing else here knows the wire format. Pure.
 */

/** OTLP's SpanKind numbering as the JavaScript API has it (the encoder adds 1 for the wire). */
export const SpanKind = { internal: 0, server: 1, client: 2 } as const;

/** OTLP's status codes. */
export const StatusCode = { unset: 0, ok: 1, error: 2 } as const;

export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue>;

export interface SpanEvent {
  name: string;
  timeMs: number;
  attributes: Attributes;
}

export interface OtelSpan {
  /** 32 hex digits. */
  traceId: string;
  /** 16 hex digits. */
  spanId: string;
  parentSpanId?: string;
  /** The parent came from another process (an incoming traceparent header). */
  parentIsRemote?: boolean;
  /** W3C trace flags (1: sampled). */
  traceFlags: number;
  name: string;
  kind: (typeof SpanKind)[keyof typeof SpanKind];
  startMs: number;
  endMs: number;
  attributes: Attributes;
  events: SpanEvent[];
  status: { code: (typeof StatusCode)[keyof typeof StatusCode]; message?: string };
}

/** The parts of an incoming W3C `traceparent` header a server span continues. */
export interface TraceParent {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

/** `00-<32 hex>-<16 hex>-<2 hex>`; undefined when malformed or all-zero (the spec says: start a new trace). */
export function parseTraceParent(header: string | undefined): TraceParent | undefined {
  if (!header) return undefined;
  const match = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})(?:-.*)?$/.exec(header.trim());
  if (!match || match[1] === 'ff') return undefined;
  const [, , traceId = '', spanId = '', flags = '00'] = match;
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}
