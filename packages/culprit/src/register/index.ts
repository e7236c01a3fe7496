/**
 * `culprit/register`: culprit in production, as a preload.
 *
 *   OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318 node --import culprit/register server.js
 *   OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318 node --require culprit/register server.js
 *
 * Records a share of requests (CULPRIT_SAMPLE_RATE, default 0.1) and sends
 * them as OpenTelemetry spans (OTLP over HTTP/protobuf) with culprit's
 * findings; CULPRIT_PYROSCOPE_URL adds CPU profiles. Configured by the
 * environment only; a bad setting is reported on stderr and ignored; nothing
 * here throws into the app. Inert in worker threads and under `culprit`'s own
 * probe (CULPRIT_PROBE_SOCKET), which records everything itself: there the
 * rest of culprit/register is not even loaded. The build bundles `start.js`
 * into one file (scripts/bundle-register.mjs): the app's start-up then loads
 * one module of culprit's, not sixty. This is the ES module entry (built, it loads start.js's CommonJS
 * twin, which V8's code cache can hold, probe/code-cache.ts); `--require`
 * (package.json's `require` condition) loads require.ts's CommonJS build,
 * which on Node 20 starts no ES module loader in a CommonJS app.
 */
import { createRequire } from 'node:module';
import { cachedRequire } from '../probe/code-cache.js';
import { activate, needsStart } from './activation.js';

if (needsStart()) {
  if (import.meta.url.endsWith('.js')) {
    // built: start's CommonJS twin, as `--require` loads it, through V8's code cache with the chunks it
    // requires (probe/code-cache.ts): an ES module is compiled at every start, a cached twin is not
    const here = decodeURIComponent(new URL(import.meta.url).pathname);
    // Node's own `require` only if the cache is off: createRequire walks this file's path (probe/queries/module-hook.ts)
    const entryRequire = (id: string): unknown => createRequire(import.meta.url)(id);
    activate(cachedRequire(here, entryRequire)('./start.cjs') as typeof import('./start.js'));
  } else {
    // unbuilt (tests under tsx); a preload's top-level await holds the app back until the hooks are in place
    activate(await import('./start.js'));
  }
}

export { counts, flush } from './activation.js';
