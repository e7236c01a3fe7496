/**
 * In-process HTTP without a socket: two cross-wired Duplex streams, one handed
 * to an `http.Server` as a connection, the other used by `http.request` as its
 * connection. Both ends run Node's real HTTP parser and serializer, so
 * middleware, headers and the `http.server.*` channels behave as in production.
 */
import http from 'node:http';
import { Duplex } from 'node:stream';
import type { InjectParams, InjectResult } from '../protocol.js';

type Writer = (chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void) => void;

/** Socket-like members the HTTP stack calls on its connection. */
function socketLike(stream: Duplex): Duplex {
  const fake = stream as Duplex & Record<string, unknown>;
  fake.setTimeout = () => stream;
  fake.setNoDelay = () => stream;
  fake.setKeepAlive = () => stream;
  fake.ref = () => stream;
  fake.unref = () => stream;
  fake.remoteAddress = '127.0.0.1';
  fake.remotePort = 0;
  fake.remoteFamily = 'IPv4';
  fake.localAddress = '127.0.0.1';
  fake.localPort = 0;
  fake.encrypted = false;
  return stream;
}

/** A connected pair: what one writes, the other reads. */
export function memoryConnectionPair(): [client: Duplex, server: Duplex] {
  let client: Duplex | undefined;
  let server: Duplex | undefined;
  const forwardTo =
    (peer: () => Duplex | undefined): Writer =>
    (chunk, _encoding, callback) => {
      peer()?.push(chunk);
      callback();
    };
  client = new Duplex({
    read() {},
    write: forwardTo(() => server),
    final(callback) {
      server?.push(null);
      callback();
    },
  });
  server = new Duplex({
    read() {},
    write: forwardTo(() => client),
    final(callback) {
      client?.push(null);
      callback();
    },
  });
  return [socketLike(client), socketLike(server)];
}

/** Sends one request to `server` over an in-memory connection; resolves when the response body ended. */
export function injectRequest(server: http.Server, request: InjectParams): Promise<InjectResult> {
  return new Promise((resolve, reject) => {
    const [client, serverSide] = memoryConnectionPair();
    server.emit('connection', serverSide);
    const headers = { host: 'localhost', ...request.headers };
    const outgoing = http.request(
      { method: request.method, path: request.path, headers, createConnection: () => client },
      (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.byteLength;
        });
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, bytes });
          client.destroy();
          serverSide.destroy();
        });
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}
