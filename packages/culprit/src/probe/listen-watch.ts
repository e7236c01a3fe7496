/**
 * Notices when this process starts listening on a TCP port. Where Node
 * publishes `tracing:net.server.listen` (20.20+, 22.3+), by subscribing to it:
 * loading node:net (and the streams under it) costs every process of the
 * tree ≈2 ms at start, and most never listen. Elsewhere by wrapping
 * `net.Server.prototype.listen`, which passes arguments and return value
 * through untouched. Both add a `listening` listener when `listen` is called,
 * ahead of the app's own callback.
 */
import type { Server } from 'node:net';
import { noteFault } from './faults.js';

type OnPort = (port: number, address: string, secure: boolean) => void;

const LISTEN_START = 'tracing:net.server.listen:asyncStart';

/** Whether `net.Server#listen` publishes its tracing channel on this Node (`version`: `process.versions.node`). */
export function hasListenChannel(version: string = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major >= 23 || (major === 22 && minor >= 3) || (major === 20 && minor >= 20);
}

/** tls.Server (and https.Server) without loading node:tls in every process: only they carry SNI contexts. */
function isTlsServer(server: Server): boolean {
  return typeof (server as Server & { addContext?: unknown }).addContext === 'function';
}

/**
 * Calls `onPort` for each server of this process that listens on a TCP port; `secure` for TLS servers.
 * `channel: false` wraps `listen` even where the tracing channel exists (tests).
 */
export function watchListening(onPort: OnPort, { channel = hasListenChannel() } = {}): void {
  const seen = new WeakSet<Server>();
  function report(this: Server): void {
    try {
      const address = this.address();
      if (address && typeof address === 'object') onPort(address.port, address.address, isTlsServer(this));
    } catch (error) {
      noteFault('listen-watch', error);
    }
  }
  const watch = (server: Server): void => {
    try {
      if (!seen.has(server)) {
        seen.add(server);
        server.once('listening', report);
      }
    } catch (error) {
      noteFault('listen-watch', error);
    }
  };
  if (channel) {
    const channels = process.getBuiltinModule('node:diagnostics_channel');
    channels.subscribe(LISTEN_START, (message) => watch((message as { server: Server }).server));
    return;
  }
  const net = process.getBuiltinModule('node:net');
  const original = net.Server.prototype.listen;
  net.Server.prototype.listen = function culpritListen(this: Server, ...args: unknown[]) {
    watch(this);
    return Reflect.apply(original, this, args) as Server;
  } as typeof original;
}
