/**
 * The probe's server side, loaded once its process turns out to be the
 * server (or hosts the app in module mode): the link to the CLI and the hooks
 * a recorded request needs in place from the listen. What only a connected
 * culprit uses (the recorder, the control and breakpoint methods:
 * record-side.ts) loads when the CLI calls a method or a request starts
 * before that: a server that no culprit answers never compiles it.
 * The build (scripts/bundle-probe-serve.mjs) bundles it with every module it
 * imports into dist/probe/serve.js (the record side into record.js, the SQL
 * driver hooks, loaded with the first driver file or recorded request, into
 * driver-hooks.js), one file in place of some 30, and turns each of those
 * modules' built files into a re-export of it, so a hook required later or
 * culprit/otel's import shares its one copy.
 */
import dc from 'node:diagnostics_channel';
import { connectToCli, onDisconnect, onUnknownMethod, send } from './connection.js';
import { noteFault } from './faults.js';
import { loadDriverHooksIfUsed, requireBeside } from './hook-loading.js';
import { installSocketWatch } from './network/socket-writes.js';
import { startHttpClientHooks } from './remote/http-client.js';
import { startWorkerRecording } from './workers/recording.js';

type RecordSide = typeof import('./record-side.js');

const REQUEST_START = 'http.server.request.start';
/**
 * Command mode runs the CommonJS twins (scripts/bundle-probe-cjs.mjs): the record side is `require`d there
 * when first needed. Run from its ES modules (a TypeScript loader in tests) it is imported before connecting.
 */
const LOAD_ON_DEMAND = import.meta.url.endsWith('.cjs');
let recordSide: RecordSide | undefined;
let starting: Promise<boolean> | undefined;

/** The record side, loaded and started (once). */
function recording(): RecordSide {
  if (!recordSide) {
    recordSide = requireBeside(import.meta.url, 'record-side') as RecordSide;
    recordSide.startRecordSide();
  }
  return recordSide;
}

/**
 * A request that starts while the connection is still being made (a cluster worker is sent requests as
 * soon as it listens): the recorder loads now, subscribes for the requests after it, and records this one.
 * Node's channels copy their subscriber list on change, so this publish reaches neither twice.
 */
function onEarlyRequest(message: unknown): void {
  dc.unsubscribe(REQUEST_START, onEarlyRequest);
  try {
    recording().recordRequestStart(message);
  } catch (error) {
    noteFault('record side', error); // never into the app's request
  }
}

/** Connects and turns recording on (once; later calls share the first's outcome). */
export function connectProbe(options: { keepAlive: boolean }): Promise<boolean> {
  if (!starting) {
    installSocketWatch();
    startHttpClientHooks();
    startWorkerRecording();
    onUnknownMethod(recording);
    // every hook in place before the first request is recorded (the recorder loads them then, if no
    // driver did before); a request is recorded from the listen on, before the connection is up
    // (connection.ts holds its record)
    starting = loadDriverHooksIfUsed().then(async () => {
      if (LOAD_ON_DEMAND) dc.subscribe(REQUEST_START, onEarlyRequest);
      else {
        recordSide = await import('./record-side.js');
        recordSide.startRecordSide();
      }
      const connected = await connectToCli(options);
      // the recorder subscribes before the early-request watch leaves: no request falls between them
      if (connected) {
        try {
          recording();
        } catch (error) {
          noteFault('record side', error);
        }
      }
      dc.unsubscribe(REQUEST_START, onEarlyRequest);
      if (!connected) recordSide?.removeRequestRecorder();
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
