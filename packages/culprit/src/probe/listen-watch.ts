/**
 * Notices when this process starts listening on a TCP port, by wrapping
 * `net.Server.prototype.listen` to add a `listening` listener (works on every
 * Node version; the `tracing:net.server.listen` channel is not everywhere).
 * The wrapper passes arguments and return value through untouched.
 */
import net from 'node:net';
import { noteFault } from './faults.js';

/** tls.Server (and https.Server) without loading node:tls in every process: only they carry SNI contexts. */
function isTlsServer(server: net.Server): boolean {
  return typeof (server as net.Server & { addContext?: unknown }).addContext === 'function';
}

/** Calls `onPort` for each server of this process that listens on a TCP port; `secure` for TLS servers. */

export function watchListening(onPort: (port: number, address: string, secure: boolean) => void): void {
  const original = net.Server.prototype.listen;
  const seen = new WeakSet<net.Server>();
  function report(this: net.Server): void {
    try {
      const address = this.address();
      if (address && typeof address === 'object') onPort(address.port, address.address, isTlsServer(this));
    } catch (error) {
      noteFault('listen-watch', error);
    }
  }
  net.Server.prototype.listen = function culpritListen(this: net.Server, ...args: unknown[]) {
    try {
      if (!seen.has(this)) {
        seen.add(this);
        this.once('listening', report);
      }
    } catch (error) {
      noteFault('listen-watch', error);
    }
    return Reflect.apply(original, this, args) as net.Server;
  } as typeof original;
}
