/**
 * Turns culprit's in-process recording on for production use: the driver
 * hooks (installed by the caller, now or on demand), the outbound HTTP
 * wrapper, recording only inside a request scope (setScopedOnly), and the
 * outbound HTTP channels. Idempotent; shared by culprit/register and the span
 * processor. The driver hooks are the caller's so that culprit/register's
 * start-up bundle does not hold them (scripts/bundle-register.mjs).
 */
import { noteFault } from '../probe/faults.js';
import { installHttpClientHooks, listenHttp } from '../probe/remote/http-client.js';
import { setQueriesWanted, setScopedOnly } from '../probe/request-context.js';

let enabled = false;

/**
 * `installDriverHooks`: the span processor installs every hook at once (it starts with the app running,
 * its drivers maybe loaded); culprit/register watches for them (hook-loading.ts), so an app that uses no
 * driver never compiles their hooks.
 */
export function enableRecording(installDriverHooks: () => void): void {
  if (enabled) return;
  enabled = true;
  installDriverHooks();
  try {
    installHttpClientHooks();
  } catch (error) {
    noteFault('remote hooks', error);
  }
  setScopedOnly(true);
  setQueriesWanted(true);
  // for good, not only while a recorded request is open: turning a channel on or off sets its prototype
  // (≈2 µs a channel on Node 20), a dozen channels at every recorded request's open and close, more than
  // the publishes it would spare a request outside the sample. An export worker's own requests are not
  // seen: diagnostics channels are per thread
  listenHttp(true);
}
