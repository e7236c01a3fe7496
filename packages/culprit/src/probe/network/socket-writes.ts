/**
 * Which client sockets a request wrote to, whatever library wrote: the
 * evidence for "this request talked to something culprit did not record"
 * (a MongoDB or Cassandra driver, a hand-written protocol client). A wrapper
 * on `net.Socket.prototype.write` (the one public path every TCP, TLS and
 * unix-socket client takes) counts writes and bytes per socket in the
 * request's scope; one on `net.Socket.prototype.connect` counts connects (a driver that makes its socket
 * with `new net.Socket()` and connects it, as pg and mysql2 do, publishes no `net.client.socket`). Server-side sockets
 * (the app's own responses) and culprit's socket are left out. Idle unless a
 * trace records queries: one flag check per write.
 */
import dc from 'node:diagnostics_channel';
import net from 'node:net';
import { noteFault } from '../faults.js';
import { currentScope, type RequestScope } from '../request-context.js';

/** One client socket's use within one request. */
interface SocketUse {
  writes: number;
  bytes: number;
  connects: number;
  /** The remote as known when first seen (a socket still connecting has none yet). */
  remote?: string;
  /** Written for a node:http ClientRequest (the socket forgets its request once back in the agent's pool). */
  http: boolean;
}

/** What the probe hands over: one row per remote (sockets to the same remote summed). */
export interface ProbeNetworkUse {
  remote: string;
  /** `tcp`, `tls` or `unix`; `http` for the sockets of outbound HTTP calls (recorded on their own). */
  kind: 'tcp' | 'tls' | 'unix' | 'http';
  writes: number;
  bytes: number;
  connects: number;
}

type Write = (this: net.Socket, ...args: unknown[]) => boolean;
interface SocketInternals {
  server?: unknown;
  _httpMessage?: unknown;
  _host?: string;
  encrypted?: boolean;
}

const uses = new WeakMap<RequestScope, Map<net.Socket, SocketUse>>();
const own = new WeakSet<object>();
/** Sockets fetch/undici sent a request on: HTTP calls (recorded on their own), never a driver's I/O. */
const undiciSockets = new WeakSet<object>();
let listening = false;
let installed = false;

/** culprit's own connection to the CLI: never the app's I/O. */
export function markOwnSocket(socket: object): void {
  own.add(socket);
}

function remoteOf(socket: net.Socket): string | undefined {
  if (socket.remoteAddress) {
    const host = socket.remoteFamily === 'IPv6' ? `[${socket.remoteAddress}]` : socket.remoteAddress;
    return `${host}:${socket.remotePort}`;
  }
  return undefined;
}

function useOf(socket: net.Socket): SocketUse | undefined {
  if (own.has(socket) || (socket as SocketInternals).server) return undefined;
  const scope = currentScope();
  // a counted-only request (culprit watch's unsampled share) keeps no socket figures
  if (!scope || scope.closed || scope.tally) return undefined;
  let sockets = uses.get(scope);
  if (!sockets) {
    sockets = new Map();
    uses.set(scope, sockets);
  }
  let use = sockets.get(socket);
  if (!use) {
    use = { writes: 0, bytes: 0, connects: 0, http: false };
    const remote = remoteOf(socket);
    if (remote) use.remote = remote;
    sockets.set(socket, use);
  }
  return use;
}

function noteWrite(socket: net.Socket, chunk: unknown, encoding: unknown): void {
  const use = useOf(socket);
  if (!use) return;
  use.writes += 1;
  if ((socket as SocketInternals)._httpMessage) use.http = true;
  if (typeof chunk === 'string') {
    use.bytes += Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  } else if (chunk && typeof (chunk as { byteLength?: unknown }).byteLength === 'number') {
    use.bytes += (chunk as { byteLength: number }).byteLength;
  }
}

function onUndiciHeaders(message: unknown): void {
  const socket = (message as { socket?: unknown } | null)?.socket;
  if (typeof socket === 'object' && socket !== null) undiciSockets.add(socket);
}

/** Installs the write wrapper once (idle until `listenNetwork(true)`). */
export function installSocketWatch(): void {
  if (installed) return;
  installed = true;
  // net.Socket inherits write from stream.Writable: an own property in front of it
  const inherited = net.Socket.prototype.write as Write;
  const write: Write = function culpritWrite(this: net.Socket, ...args: unknown[]) {
    if (listening) {
      try {
        noteWrite(this, args[0], args[1]);
      } catch (error) {
        noteFault('socket write', error);
      }
    }
    return Reflect.apply(inherited, this, args) as boolean;
  };
  Object.defineProperty(net.Socket.prototype, 'write', { value: write, writable: true, configurable: true });
  // net.connect() and tls.connect() call it too, so every client connection passes here once
  const inheritedConnect = net.Socket.prototype.connect as unknown as Write;
  const connect: Write = function culpritConnect(this: net.Socket, ...args: unknown[]) {
    if (listening) {
      try {
        const use = useOf(this);
        if (use) {
          use.connects += 1;
          // a connection closed before the request ends forgets its peer: the address dialled names it
          use.remote ??= dialled(args);
        }
      } catch (error) {
        noteFault('socket connect', error);
      }
    }
    return Reflect.apply(inheritedConnect, this, args) as boolean;
  };
  Object.defineProperty(net.Socket.prototype, 'connect', { value: connect, writable: true, configurable: true });
}

/** `host:port` (or the socket path) that `socket.connect(…)` was given, in any of its forms. */
function dialled(args: readonly unknown[]): string | undefined {
  const [first, second] = args;
  const options = (typeof first === 'object' && first !== null ? first : {}) as {
    port?: unknown;
    host?: unknown;
    path?: unknown;
  };
  if (typeof options.path === 'string') return `unix ${options.path}`;
  const port = typeof first === 'object' ? options.port : first;
  if (typeof port === 'string' && !/^\d+$/.test(port)) return `unix ${port}`;
  if (typeof port !== 'number' && typeof port !== 'string') return undefined;
  const host = typeof first === 'object' ? options.host : second;
  return `${typeof host === 'string' ? host : 'localhost'}:${port}`;
}

/** Turns counting on or off with the trace's query recording. */
export function listenNetwork(on: boolean): void {
  if (on === listening) return;
  listening = on;
  if (on) {
    dc.subscribe('undici:client:sendHeaders', onUndiciHeaders);
  } else {
    dc.unsubscribe('undici:client:sendHeaders', onUndiciHeaders);
  }
}

function kindOf(socket: net.Socket, use: SocketUse): ProbeNetworkUse['kind'] {
  const internals = socket as SocketInternals;
  if (use.http || undiciSockets.has(socket)) return 'http';
  if (internals.encrypted) return 'tls';
  const dialledPort = use.remote !== undefined && !use.remote.startsWith('unix ');
  return socket.remoteAddress || internals._host || dialledPort ? 'tcp' : 'unix';
}

/** The request's socket use, one row per remote and kind, most bytes first; undefined when it wrote to none. */
export function networkOf(scope: RequestScope): ProbeNetworkUse[] | undefined {
  const sockets = uses.get(scope);
  if (!sockets?.size) return undefined;
  const rows = new Map<string, ProbeNetworkUse>();
  for (const [socket, use] of sockets) {
    const kind = kindOf(socket, use);
    const remote = use.remote ?? remoteOf(socket) ?? (socket as SocketInternals)._host ?? `${kind} socket`;
    const key = `${kind} ${remote}`;
    const row = rows.get(key) ?? { remote, kind, writes: 0, bytes: 0, connects: 0 };
    row.writes += use.writes;
    row.bytes += use.bytes;
    row.connects += use.connects;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => b.bytes - a.bytes);
}
