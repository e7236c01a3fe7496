/**
 * `culprit/register`: culprit in production, as a preload.
 *
 *   OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318 node --import culprit/register server.js
 *
 * Records a share of requests (CULPRIT_SAMPLE_RATE, default 0.1) and sends
 * them as OpenTelemetry spans (OTLP over HTTP/protobuf) with culprit's
 * findings; CULPRIT_PYROSCOPE_URL adds CPU profiles. Configured by the
 * environment only; a bad setting is reported on stderr and ignored; nothing
 * here throws into the app. Inert in worker threads and under `culprit`'s own
 * probe (CULPRIT_PROBE_SOCKET), which records everything itself: there the
 * rest of culprit/register is not even loaded. The build bundles `start.js`
 * into one file (scripts/bundle-register.mjs): the app's start-up then loads
 * one module of culprit's, not sixty.
 */
import { onMainThread } from '../probe/main-thread.js';
import { SOCKET_ENV } from '../probe/protocol.js';
import type { LinkCounts } from './export-link.js';
import type { Registration } from './start.js';

let registration: Registration | undefined;

if (!process.env[SOCKET_ENV] && onMainThread()) {
  // a preload's top-level await holds the app back until the hooks are in place, as a static import did
  const { startRegistration } = await import('./start.js');
  registration = startRegistration(process.env);
}

/** Resolves once every request recorded so far was exported or dropped (call it before a planned exit). */
export async function flush(): Promise<void> {
  await registration?.flush();
}

/** What was recorded, exported and dropped so far; undefined when culprit/register is inactive. */
export async function counts(): Promise<LinkCounts | undefined> {
  return registration?.counts();
}
