/**
 * One sampled request → its spans, as the export worker makes them: the
 * probe's record becomes a capture record (the same conversion and redaction
 * `culprit trace` applies: SQL normalized, values out), culprit's diagnosis
 * rules run over it, and the result is laid out as spans. Pure apart from the
 * salted hash that tells duplicate queries from N+1 (trace/values-key.ts).
 */
import { CAPTURE_SCHEMA, type Capture } from '../capture/types.js';
import { diagnose } from '../diagnose/diagnose.js';
import { observedFrom } from '../target/observed.js';
import { sanitizeRecord } from '../trace/redact.js';
import type { SampledRequest } from './messages.js';
import { requestSpans } from './request-spans.js';
import { type OtelSpan, parseTraceParent } from './span-model.js';

export function sampledSpans(sample: SampledRequest, id: number, newId: (hexDigits: 16 | 32) => string): OtelSpan[] {
  const request = sanitizeRecord(observedFrom(id, sample.record), false);
  const capture: Capture = {
    schema: CAPTURE_SCHEMA,
    createdAt: new Date(sample.startUnixMs).toISOString(),
    tool: { name: 'culprit', version: '', command: 'register' },
    target: { mode: 'command' },
    requests: [request],
  };
  const parent = parseTraceParent(sample.traceparent);
  return requestSpans({
    request,
    startUnixMs: sample.startUnixMs,
    ...(parent ? { parent } : {}),
    scheme: sample.scheme,
    ...(sample.host ? { host: sample.host } : {}),
    ...(sample.userAgent ? { userAgent: sample.userAgent } : {}),
    ...(sample.route ? { route: sample.route } : {}),
    findings: diagnose(capture),
    newId,
  });
}
