/**
 * Turns culprit's in-process recording on for production use: the driver
 * hooks (installed by the caller, now or on demand), the outbound HTTP
 * wrapper, recording only inside a request scope (setScopedOnly), and the
 * outbound HTTP channels, subscribed only while a recorded request is open. Idempotent; shared by culprit/register and the span
 * processor. The driver hooks are the caller's so that culprit/register's
 * start-up bundle does not hold them (scripts/bundle-register.mjs).
 */
import { noteFault } from '../probe/faults.js';
import { installHttpClientHooks, listenHttp } from '../probe/remote/http-client.js';
import { onQueriesWanted, setQueriesWanted, setScopedOnly } from '../probe/request-context.js';

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
  // while a recorded request is open (culprit/register), always (the span processor's scopes): a request
  // outside the sample makes undici publish nothing; an export worker's own requests are not seen either
  // way, diagnostics channels are per thread
  onQueriesWanted(listenHttp);
}
