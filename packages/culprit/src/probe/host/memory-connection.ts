/**
 * In-process HTTP without a socket: a Duplex stream handed to an
 * `http.Server` as a connection. The server side is Node's real HTTP parser
 * and serializer, so middleware, headers and the `http.server.*` channels
 * behave as in production. The client side is no HTTP client: the request
 * goes in as raw HTTP/1.1 bytes, and the answer is known from the server's own
 * response object (its status, once it finished), its bytes dropped unread.
 *
 * Why no client: this process is the one being profiled. An `http.request`
 * over a second Duplex parsed every response again in here (the 130 KB body of
 * bench/probe's /json route: streams, parser, Buffers), went through the
 * probe's own outbound-call hooks, and showed up in the app's profile. A
 * server over TCP pays none of that; culprit's CLI reads the answer elsewhere.
 *
 * Connections are kept alive between requests, as culprit's own client and
 * browsers keep theirs: opening one (stream, parser, listeners) per request
 * cost the host more CPU than a small route itself.
 */
import dc from 'node:diagnostics_channel';
import http, { type ServerResponse } from 'node:http';
import { Duplex } from 'node:stream';
import type { InjectParams, InjectResult } from '../protocol.js';

interface Pending {
  resolve(result: InjectResult): void;
  reject(error: Error): void;
  /** The first bytes the server wrote: a status line, when it answers without a request (a 400 for a bad one). */
  firstBytes?: string;
}

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

/** One in-memory connection the server was given; one request at a time. */
class MemoryConnection {
  readonly socket: Duplex;
  open = true;
  pending: Pending | undefined;

  constructor(server: http.Server) {
    // strings stay strings (no Buffer copy of a body nobody reads); an end from the server closes it, as TCP does
    this.socket = socketLike(
      new Duplex({
        allowHalfOpen: false,
        decodeStrings: false,
        read() {},
        write: (chunk: unknown, _encoding, callback) => {
          const pending = this.pending;
          if (pending && pending.firstBytes === undefined) pending.firstBytes = firstBytes(chunk);
          callback();
        },
        final: (callback) => {
          this.close();
          callback();
        },
      }),
    );
    this.socket.once('close', () => this.close());
    bySocket.set(this.socket, this);
    server.emit('connection', this.socket);
  }

  /** Delivers raw request bytes on the next turn of the loop, as a socket's data would arrive. */
  send(raw: string, pending: Pending): void {
    this.pending = pending;
    setImmediate(() => this.socket.push(raw));
  }

  /** The response ended: the injection has its answer. */
  answered(status: number): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve({ status });
  }

  /** The server closed the connection: an injection still waiting ends here. */
  close(): void {
    this.open = false;
    const pending = this.pending;
    if (!pending) return;
    // a server answers some requests without a request object (a malformed one: 400 from clientError)
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(pending.firstBytes ?? '')?.[1];
    if (status) this.answered(Number(status));
    else {
      this.pending = undefined;
      pending.reject(new Error('the app closed the connection without answering'));
    }
  }
}

function firstBytes(chunk: unknown): string {
  if (typeof chunk === 'string') return chunk.slice(0, 16);
  return chunk instanceof Uint8Array
    ? Buffer.from(chunk.buffer, chunk.byteOffset, Math.min(16, chunk.byteLength)).toString('latin1')
    : '';
}

const idle = new WeakMap<http.Server, MemoryConnection[]>();
const bySocket = new WeakMap<object, MemoryConnection>();

/** The server took a request from one of these connections: its response's end answers the injection. */
function onRequestStart(message: unknown): void {
  const { socket, response } = message as { socket: object; response: ServerResponse };
  const connection = bySocket.get(socket);
  if (!connection?.pending) return;
  response.once('finish', () => connection.answered(response.statusCode));
}
let subscribed = false;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What `http.request` refuses in a path (spaces, control characters), so a request it would not send is not sent. */
const INVALID_PATH = /[^\u0021-\u00ff]/;
/** Methods whose empty body needs no Content-Length (as Node's client sends them). */
const BODILESS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

/** The request's head and body as HTTP/1.1 bytes; throws on a method, path or header HTTP would refuse. */
export function rawRequest(request: InjectParams): string {
  if (!TOKEN.test(request.method)) throw new Error(`invalid HTTP method '${request.method}'`);
  if (INVALID_PATH.test(request.path)) throw new Error(`invalid characters in the request path '${request.path}'`);
  const lines = [`${request.method} ${request.path} HTTP/1.1`];
  const given = Object.entries(request.headers ?? {});
  const has = (name: string): boolean => given.some(([key]) => key.toLowerCase() === name);
  if (!has('host')) lines.push('host: localhost');
  for (const [name, value] of given) {
    http.validateHeaderName(name);
    http.validateHeaderValue(name, value);
    lines.push(`${name}: ${value}`);
  }
  const body = request.body ?? '';
  if (!has('content-length') && !has('transfer-encoding') && (body !== '' || !BODILESS.has(request.method))) {
    lines.push(`content-length: ${Buffer.byteLength(body)}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** Sends one request to `server` over an in-memory connection; resolves with its status when the response ended. */
export function injectRequest(server: http.Server, request: InjectParams): Promise<InjectResult> {
  return new Promise((resolve, reject) => {
    const raw = rawRequest(request);
    if (!subscribed) {
      subscribed = true;
      dc.subscribe('http.server.request.start', onRequestStart);
    }
    let pool = idle.get(server);
    if (!pool) {
      pool = [];
      idle.set(server, pool);
    }
    let connection = pool.pop();
    while (connection && !connection.open) connection = pool.pop();
    const using = connection ?? new MemoryConnection(server);
    const done = (): void => {
      if (using.open) pool.push(using); // kept alive for the next request
    };
    using.send(raw, {
      resolve: (result) => {
        done();
        resolve(result);
      },
      reject,
    });
  });
}
