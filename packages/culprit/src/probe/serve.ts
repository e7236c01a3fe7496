/**
 * The probe's server side, loaded once its process turns out to be the
 * server (or hosts the app in module mode): the link to the CLI, the control
 * and breakpoint methods, the request recorder. Every other process of the
 * target's tree (npm, sh, npx, the tsx CLI, build workers) never loads it.
 * The build (scripts/bundle-probe-serve.mjs) bundles it with every module it
 * imports into dist/probe/serve.js (the SQL driver hooks, loaded with the
 * first driver file or recorded request, into driver-hooks.js), one file in
 * place of some 50, and turns each of those modules' built files into a
 * re-export of it, so a hook required later or culprit/otel's import shares
 * its one copy.
 */
import { registerBreakpointMethods } from './breakpoint-methods.js';
import { connectToCli, onDisconnect, send } from './connection.js';
import { registerControlMethods } from './control-methods.js';
import { loadDriverHooksIfUsed } from './hook-loading.js';
import { installSocketWatch } from './network/socket-writes.js';
import { startHttpClientHooks } from './remote/http-client.js';
import { installRequestRecorder, removeRequestRecorder } from './request-recorder.js';
import { startWorkerRecording } from './workers/recording.js';

let starting: Promise<boolean> | undefined;

/** Connects and turns recording on (once; later calls share the first's outcome). */
export function connectProbe(options: { keepAlive: boolean }): Promise<boolean> {
  if (!starting) {
    installSocketWatch();
    startHttpClientHooks();
    startWorkerRecording();
    registerControlMethods();
    registerBreakpointMethods();
    // every hook in place before the first request is recorded (the recorder loads them then, if no
    // driver did before); the recorder starts before the connection is up (a cluster worker may be
    // sent a request meanwhile: connection.ts holds its record)
    starting = loadDriverHooksIfUsed().then(async () => {
      installRequestRecorder();
      const connected = await connectToCli(options);
      if (!connected) removeRequestRecorder();
      return connected;
    });
  }
  return starting;
}

/** Tells the CLI the port the server listens on; the process group goes down with the CLI. */
export async function announceListening(port: number, address: string, secure: boolean): Promise<void> {
  if (!(await connectProbe({ keepAlive: false }))) return;
  send({ type: 'listening', port, address, ...(secure ? { secure } : {}) });
  // culprit started this tree in its own process group: if culprit dies
  // without stopping it (SIGKILL), the server takes its group down, no orphans
  onDisconnect(() => process.kill(0, 'SIGTERM'));
}
