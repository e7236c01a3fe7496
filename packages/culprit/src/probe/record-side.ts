/**
 * What only a connected culprit uses: the request recorder and the RPC
 * methods (CPU profile, call counts, scripts, source maps, EXPLAIN, the
 * breakpoint agent). The build bundles it into dist/probe/record.js, which the
 * server side (serve.ts) loads when the CLI connects, calls a method, or a
 * request starts while the connection is still being made. A probed server
 * that no culprit ever answers (no secret, a stale socket) never compiles it.
 */
import { registerBreakpointMethods } from './breakpoint-methods.js';
import { registerControlMethods } from './control-methods.js';
import { installRequestRecorder, recordRequestStart, removeRequestRecorder } from './request-recorder.js';

let started = false;

/** Registers the methods and subscribes the recorder (once). */
export function startRecordSide(): void {
  if (started) return;
  started = true;
  registerControlMethods();
  registerBreakpointMethods();
  installRequestRecorder();
}

export { recordRequestStart, removeRequestRecorder };
