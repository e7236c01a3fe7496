/**
 * culprit's spans → an OTLP ExportTraceServiceRequest (protobuf bytes).
 *
 * Encoding uses OpenTelemetry's own serializer (@opentelemetry/otlp-transformer)
 * rather than a hand-written protobuf writer: it is the one the official
 * exporters use, it follows the proto as it evolves, and it is pure
 * JavaScript (no protobufjs since 0.2xx). Its cost was measured: importing
 * it takes ≈140–300 ms on this machine, so it is imported only in the export
 * worker thread (export-worker.ts), never on the app's main thread, where
 * that would stall the event loop once and delay start-up.
 */
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { OtelSpan } from './span-model.js';

type SdkSpan = Parameters<typeof ProtobufTraceSerializer.serializeRequest>[0][number];
type HrTime = [number, number];

/** Unix milliseconds (fractional) → [seconds, nanoseconds]. */
export function hrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.min(999_999_999, Math.max(0, Math.round((ms - seconds * 1000) * 1e6)));
  return [seconds, nanos];
}

export interface EncodeContext {
  resourceAttributes: Record<string, string>;
  scopeVersion: string;
}

/** Makes one encoder per process: the resource and scope are shared by every span (the serializer groups by identity). */
export function spanEncoder(context: EncodeContext): (spans: readonly OtelSpan[]) => Uint8Array {
  const resource = resourceFromAttributes(context.resourceAttributes);
  const scope = { name: 'culprit', version: context.scopeVersion };
  const toSdk = (span: OtelSpan): SdkSpan => {
    const startTime = hrTime(span.startMs);
    const endTime = hrTime(span.endMs);
    const parentSpanContext =
      span.parentSpanId === undefined
        ? undefined
        : {
            traceId: span.traceId,
            spanId: span.parentSpanId,
            traceFlags: span.traceFlags,
            isRemote: span.parentIsRemote ?? false,
          };
    return {
      name: span.name,
      kind: span.kind,
      spanContext: () => ({ traceId: span.traceId, spanId: span.spanId, traceFlags: span.traceFlags }),
      ...(parentSpanContext ? { parentSpanContext } : {}),
      startTime,
      endTime,
      duration: hrTime(Math.max(0, span.endMs - span.startMs)),
      status: span.status,
      attributes: span.attributes,
      links: [],
      events: span.events.map((event) => ({
        name: event.name,
        time: hrTime(event.timeMs),
        attributes: event.attributes,
      })),
      ended: true,
      resource,
      instrumentationScope: scope,
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    };
  };
  return (spans) => ProtobufTraceSerializer.serializeRequest(spans.map(toSdk)) ?? new Uint8Array(0);
}
