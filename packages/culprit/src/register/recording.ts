/**
 * Turns culprit's in-process recording on for production use: the driver and
 * remote hooks, recording only inside a request scope (setScopedOnly), and
 * the outbound HTTP channels. Idempotent; shared by culprit/register and the
 * span processor.
 */
import { installQueryHooks } from '../probe/query-hooks.js';
import { installRemoteHooks, listenRemote } from '../probe/remote/index.js';
import { setQueriesWanted, setScopedOnly } from '../probe/request-context.js';

let enabled = false;

export function enableRecording(): void {
  if (enabled) return;
  enabled = true;
  installQueryHooks();
  installRemoteHooks();
  setScopedOnly(true);
  setQueriesWanted(true);
  // an export worker's own requests are not seen: diagnostics channels are per thread
  listenRemote(true);
}
