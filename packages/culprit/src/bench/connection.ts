import net from 'node:net';
import tls from 'node:tls';
import type { LoadOptions } from './options.js';
import type { RedirectTargets, Target } from './request.js';
import { BadResponseError, ResponseParser } from './response-parser.js';
import { type BenchStats, countError, countStatus, recordPhase } from './stats.js';

/** One finished request's timings in ms, for `-o csv` (hey's columns). */
export interface Sample {
  latencyMs: number;
  dialMs: number;
  dnsMs: number;
  writeMs: number;
  waitMs: number;
  readMs: number;
  status: number;
  /** Send time relative to the run's start. */
  offsetMs: number;
}

/** What a connection asks of the run it belongs to. */
export interface ConnectionHost {
  readonly load: LoadOptions;
  readonly stats: BenchStats;
  readonly base: Target;
  readonly redirects: RedirectTargets;
  readonly startedAt: number;
  /** Next request: its intended send time (paced runs), NaN for "now", or null when the run is over. */
  claim(): number | null;
  /** Called once a send went out; paced runs count the late ones. */
  sent(intended: number, actual: number): void;
  onSample: ((sample: Sample) => void) | undefined;
  finished(connection: Connection): void;
}

const MAX_REDIRECTS = 10;

/**
 * One receive buffer shared by every plain-TCP connection (net's `onread`):
 * reads skip the stream machinery and allocate nothing. Safe because a chunk
 * is parsed synchronously and the parser copies the little it keeps.
 */
const readBuffer = Buffer.allocUnsafe(64 * 1024);

/**
 * Connections whose response completed during this turn of the event loop.
 * Their next requests go out together from one setImmediate, after every
 * ready socket has been read, instead of one write per read callback: the
 * server then finds a batch of requests per wakeup and spends less CPU per
 * request. On a machine where client and server share the cores, that is
 * what bounds requests/s (measured: +5–7% at c=50 against a trivial server).
 * One queue and one Immediate per turn, not one per request.
 */
let queued: Connection[] = [];
let spare: Connection[] = [];

function flushQueued(): void {
  const batch = queued;
  queued = spare;
  for (let i = 0; i < batch.length; i++) batch[i]?.sendNext();
  batch.length = 0;
  spare = batch;
}

function queueNext(connection: Connection): void {
  if (queued.push(connection) === 1) setImmediate(flushQueued);
}

/** Maps a socket error to the kind shown in Error distribution. */
export function errorKind(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'unreachable';
    default:
      return code === '' ? 'socket error' : code.toLowerCase();
  }
}

/**
 * One client connection: sends a request, reads the response, records it,
 * asks for the next. A failed request is counted by kind and the socket is
 * replaced; nothing here throws into the run.
 */
export class Connection {
  private socket: net.Socket | null = null;
  private socketKey = '';
  private socketUses = 0;
  private readonly parser = new ResponseParser();
  private target: Target;
  private inFlight = false;
  private stopped = false;
  private waitTimer: NodeJS.Timeout | undefined;
  private hops = 0;
  private retried = false;
  // Timings of the request in flight (performance.now ms).
  private requestStart = 0;
  private dialStart = 0;
  private dialMs = -1;
  private dnsMs = -1;
  private writeMs = 0;
  private sentAt = 0;
  private firstByteAt = 0;

  constructor(private readonly host: ConnectionHost) {
    this.target = host.base;
  }

  start(): void {
    this.next();
  }

  /** Ends the connection now; a request in flight is dropped, not counted. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.waitTimer);
    this.inFlight = false;
    this.dropSocket();
    this.host.finished(this);
  }

  /** Fails the request in flight if it has run longer than `timeoutMs`. */
  checkTimeout(now: number, timeoutMs: number): void {
    if (this.inFlight && now - this.requestStart > timeoutMs) this.fail('timeout');
  }

  /** Sends the next request after a completed one (see queueNext). */
  sendNext(): void {
    this.next();
  }

  private next(): void {
    if (this.stopped) return;
    const intended = this.host.claim();
    if (intended === null) {
      this.stop();
      return;
    }
    const now = Number.isNaN(intended) ? 0 : performance.now();
    // Waits shorter than a timer tick (1 ms) are not worth a timer: send now.
    if (intended > now + 1) {
      this.waitTimer = setTimeout(() => this.begin(intended), intended - now);
    } else {
      this.begin(intended);
    }
  }

  private begin(intended: number): void {
    if (this.stopped) return;
    const now = performance.now();
    if (!Number.isNaN(intended)) this.host.sent(intended, now);
    // Paced runs measure from the intended send time (coordinated-omission correction, as wrk2);
    // a timer may fire up to 1 ms early (libuv's ms clock), then the real send time is the start.
    this.requestStart = Number.isNaN(intended) ? now : Math.min(intended, now);
    this.target = this.host.base;
    this.hops = 0;
    this.retried = false;
    this.dialMs = -1;
    this.dnsMs = -1;
    this.dispatch(now);
  }

  private dispatch(now: number): void {
    this.inFlight = true;
    this.parser.reset(this.target.headOnly);
    this.firstByteAt = 0;
    if (this.socket !== null && this.socketKey === this.target.key) {
      this.write(now);
      return;
    }
    this.dropSocket();
    this.connect(now);
  }

  private connect(now: number): void {
    const t = this.target;
    this.dialStart = now;
    const socket = t.tls
      ? tls.connect({
          host: t.host,
          port: t.port,
          servername: net.isIP(t.host) ? undefined : t.host,
          rejectUnauthorized: false,
        })
      : net.connect({
          host: t.host,
          port: t.port,
          onread: {
            buffer: readBuffer,
            callback: (n: number, buf: Uint8Array) => {
              this.onData(socket, Buffer.from(buf.buffer, buf.byteOffset, n));
              return true;
            },
          },
        });
    socket.setNoDelay(true);
    this.socket = socket;
    this.socketKey = t.key;
    this.socketUses = 0;
    socket.on('lookup', () => {
      if (this.socket === socket) this.dnsMs = performance.now() - this.dialStart;
    });
    socket.once(t.tls ? 'secureConnect' : 'connect', () => {
      if (this.socket !== socket || !this.inFlight) return;
      const connected = performance.now();
      this.dialMs = connected - this.dialStart;
      this.write(connected);
    });
    if (t.tls) socket.on('data', (chunk: Buffer) => this.onData(socket, chunk));
    socket.on('error', (error) => {
      if (this.socket === socket) this.onSocketEnd(errorKind(error));
    });
    socket.on('close', () => {
      if (this.socket === socket) this.onSocketEnd('closed');
    });
  }

  private write(now: number): void {
    const socket = this.socket;
    if (socket === null) return;
    this.socketUses++;
    socket.write(this.target.bytes);
    this.sentAt = performance.now();
    this.writeMs = this.sentAt - now;
  }

  private onData(socket: net.Socket, chunk: Buffer): void {
    if (this.socket !== socket) return;
    if (!this.inFlight) {
      this.dropSocket(); // bytes nobody asked for: this socket cannot be trusted any more
      return;
    }
    if (this.firstByteAt === 0) this.firstByteAt = performance.now();
    let end: number;
    try {
      end = this.parser.feed(chunk, 0);
      // Interim 1xx heads (100 Continue) precede the real response.
      while (end >= 0 && this.parser.status < 200 && end <= chunk.length) {
        this.parser.reset(this.target.headOnly);
        end = end < chunk.length ? this.parser.feed(chunk, end) : -1;
      }
    } catch (error) {
      if (!(error instanceof BadResponseError)) throw error;
      this.fail('bad response');
      return;
    }
    if (end >= 0) this.complete();
  }

  /** The socket errored or closed: complete a read-until-close body, retry a stale keep-alive socket, or fail. */
  private onSocketEnd(kind: string): void {
    if (!this.inFlight) {
      this.dropSocket();
      return;
    }
    if (kind === 'closed' && this.parser.finishOnClose()) {
      this.complete();
      return;
    }
    // A reused socket the server had already closed: send again on a fresh one once, as HTTP clients do.
    if (this.parser.idle && this.socketUses > 1 && !this.retried && (kind === 'closed' || kind === 'reset')) {
      this.retried = true;
      this.dropSocket();
      this.dispatch(performance.now());
      return;
    }
    this.fail(kind === 'closed' && !this.parser.idle ? 'closed mid-response' : kind);
  }

  private fail(kind: string): void {
    this.inFlight = false;
    this.dropSocket();
    countError(this.host.stats, kind);
    this.next();
  }

  private complete(): void {
    const parser = this.parser;
    if (!parser.keepAlive || !this.host.load.keepAlive) this.dropSocket();
    if (
      parser.location !== undefined &&
      this.host.load.followRedirects &&
      parser.status >= 300 &&
      parser.status < 400 &&
      parser.status !== 304 &&
      this.hops < MAX_REDIRECTS
    ) {
      const next = this.host.redirects.resolve(this.target, parser.status, parser.location);
      if (next) {
        this.hops++;
        this.host.stats.bytes += parser.bodyBytes;
        this.target = next;
        this.dispatch(performance.now());
        return;
      }
    }
    const done = performance.now();
    this.inFlight = false;
    const stats = this.host.stats;
    const firstByte = this.firstByteAt === 0 ? done : this.firstByteAt;
    stats.requests++;
    stats.bytes += parser.bodyBytes;
    countStatus(stats, parser.status);
    const latencyMs = done - this.requestStart;
    stats.latencyUs.recordValue(Math.max(1, Math.round(latencyMs * 1000)));
    if (this.dialMs >= 0) recordPhase(stats.phases.dial, this.dialMs);
    if (this.dnsMs >= 0) recordPhase(stats.phases.dns, this.dnsMs);
    recordPhase(stats.phases.write, this.writeMs);
    recordPhase(stats.phases.wait, firstByte - this.sentAt);
    recordPhase(stats.phases.read, done - firstByte);
    this.host.onSample?.({
      latencyMs,
      dialMs: Math.max(0, this.dialMs),
      dnsMs: Math.max(0, this.dnsMs),
      writeMs: this.writeMs,
      waitMs: firstByte - this.sentAt,
      readMs: done - firstByte,
      status: parser.status,
      offsetMs: this.requestStart - this.host.startedAt,
    });
    queueNext(this);
  }

  private dropSocket(): void {
    const socket = this.socket;
    if (socket === null) return;
    this.socket = null;
    this.socketKey = '';
    socket.destroy();
  }
}
