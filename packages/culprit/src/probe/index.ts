/**
 * The probe: preloaded into every Node process of the target's tree with
 * `NODE_OPTIONS=--import <this file> --enable-source-maps`. Built-ins only,
 * never throws into the app. It stays dormant (one `listen` observer) until
 * its process turns out to be the server: the main thread of the process whose
 * server listens on a TCP port. Then it connects to the CLI over the unix
 * socket named in CULPRIT_PROBE_SOCKET, reports the port, and records requests.
 * Intermediate processes (npm, sh, npx, the tsx CLI) load it and never connect.
 */
import { isMainThread } from 'node:worker_threads';
import { registerBreakpointMethods } from './breakpoint-methods.js';
import { connectToCli, onDisconnect, send, whenConnected } from './connection.js';
import { registerControlMethods } from './control-methods.js';
import { noteFault } from './faults.js';
import { watchListening } from './listen-watch.js';
import { SOCKET_ENV } from './protocol.js';
import { installQueryHooks } from './query-hooks.js';
import { installRequestRecorder } from './request-recorder.js';

let starting: Promise<boolean> | undefined;

/** Connects and turns recording on (once; later calls share the first's outcome). */
export function startProbe(options: { keepAlive: boolean }): Promise<boolean> {
  if (!starting) {
    registerControlMethods();
    registerBreakpointMethods();
    whenConnected(() => installRequestRecorder());
    starting = connectToCli(options);
  }
  return starting;
}

if (isMainThread && process.env[SOCKET_ENV]) {
  // before the app's code runs, so drivers are patched as they load; idle until a trace asks
  installQueryHooks();
}

try {
  if (isMainThread && process.env[SOCKET_ENV]) {
    watchListening((port, address, secure) => {
      void startProbe({ keepAlive: false }).then((connected) => {
        if (!connected) return;
        send({ type: 'listening', port, address, ...(secure ? { secure } : {}) });
        // culprit started this tree in its own process group: if culprit dies
        // without stopping it (SIGKILL), the server takes its group down, no orphans
        onDisconnect(() => process.kill(0, 'SIGTERM'));
      });
    });
  }
} catch (error) {
  noteFault('probe start-up', error);
}
