/**
 * The CLI's end of the probe socket: a unix-socket server (never a TCP port)
 * in a private 0700 directory, that every probe of the target's tree may
 * connect to, and one ProbeLink per connection that calls methods and
 * receives events. A connection counts only once it proved it holds the
 * secret the CLI gave the target (probe/handshake.ts); before that it is sent
 * nothing but a challenge, and what it says is ignored.
 */
import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { errorCatalog } from '../errors/catalog.js';
import { CulpritError } from '../errors/culprit-error.js';
import {
  HANDSHAKE_TIMEOUT_MS,
  parseLine,
  proofFor,
  proofMatches,
  randomToken,
  SECRET_ENV,
} from '../probe/handshake.js';
import type { ErrorMessage, HelloMessage, ProbeMessage, ProbeRequest } from '../probe/protocol.js';
import { SOCKET_ENV } from '../probe/protocol.js';
import { makePrivateDir, removePrivateDir } from './private-dirs.js';

/** A probe error as the CLI raises it: coded errors keep their code (usage errors exit 2). */
function remoteError(message: ErrorMessage): Error {
  const { code } = message;
  if (code !== undefined && Object.hasOwn(errorCatalog, code)) {
    return new CulpritError(code as keyof typeof errorCatalog, message.message);
  }
  return new Error(`probe: ${message.message}`);
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface LinkEvents {
  message: [ProbeMessage];
  request: [ProbeRequest];
  close: [];
}

/** One probe's connection: JSON-lines calls out, results and events in. */
export class ProbeLink extends EventEmitter<LinkEvents> {
  hello: HelloMessage | undefined;
  closed = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** False until the peer proved it holds the secret; nothing is sent or believed before. */
  authenticated = false;
  private readonly nonce = randomToken();

  constructor(
    private readonly socket: Socket,
    private readonly secret: string,
    onAuthenticated: (link: ProbeLink) => void,
  ) {
    super();
    socket.setEncoding('utf8');
    const deadline = setTimeout(() => socket.destroy(), HANDSHAKE_TIMEOUT_MS);
    deadline.unref();
    socket.write(`${JSON.stringify({ type: 'challenge', nonce: this.nonce })}\n`);
    let buffer = '';
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (!this.authenticated && buffer.length > 4096) socket.destroy(); // a handshake line is ~200 bytes
      for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (!line.trim()) continue;
        if (!this.authenticated) {
          if (!this.authenticate(line)) {
            socket.destroy();
            return;
          }
          clearTimeout(deadline);
          onAuthenticated(this);
          continue;
        }
        let message: ProbeMessage;
        try {
          message = JSON.parse(line) as ProbeMessage;
        } catch {
          socket.destroy(); // a garbled stream: nothing after it can be trusted
          return;
        }
        this.receive(message);
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clearTimeout(deadline);
      this.closed = true;
      for (const pending of this.pending.values()) pending.reject(new Error('the target closed its probe connection'));
      this.pending.clear();
      this.emit('close');
    });
  }

  /** Checks the probe's answer to our challenge and answers its own; false drops the connection. */
  private authenticate(line: string): boolean {
    const message = parseLine(line);
    if (message?.type !== 'auth' || typeof message.nonce !== 'string' || message.nonce.length < 32) return false;
    if (!proofMatches(this.secret, 'probe', this.nonce, message.proof)) return false;
    this.authenticated = true;
    this.socket.write(`${JSON.stringify({ type: 'welcome', proof: proofFor(this.secret, 'cli', message.nonce) })}\n`);
    return true;
  }

  private receive(message: ProbeMessage): void {
    if (message.type === 'hello') this.hello = message;
    if (message.type === 'result' || message.type === 'error') {
      const pending = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.type === 'result') pending?.resolve(message.result);
      else pending?.reject(remoteError(message));
      return;
    }
    if (message.type === 'request') this.emit('request', message.record);
    this.emit('message', message);
  }

  /** Calls a probe method; rejects if the probe answers an error or goes away. */
  call<T>(method: string, params: unknown = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the target closed its probe connection'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.socket.write(`${JSON.stringify({ type: 'call', id, method, params })}\n`);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

interface HubEvents {
  link: [ProbeLink];
}

/**
 * The socket server. `path` and `secret` go into the target's environment
 * (SOCKET_ENV, SECRET_ENV) and nowhere else; `link` fires only for
 * connections that authenticated.
 */
export class ProbeHub extends EventEmitter<HubEvents> {
  readonly links: ProbeLink[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly path: string,
    readonly secret: string,
    private readonly dir: string,
    private readonly server: Server,
  ) {
    super();
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      new ProbeLink(socket, secret, (link) => {
        this.links.push(link);
        this.emit('link', link);
      });
    });
  }

  /** Listens on a socket in a fresh private directory, with a fresh secret. */
  static async open(): Promise<ProbeHub> {
    let dir: string | undefined;
    let path = 'the probe socket';
    const server = createServer();
    try {
      dir = makePrivateDir();
      path = join(dir, 'probe.sock');
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(path, () => resolve());
      });
    } catch (error) {
      if (dir !== undefined) removePrivateDir(dir);
      throw new CulpritError('CULPRIT_E_RUN_FAILED', `cannot open the probe socket ${path}: ${String(error)}`, {
        cause: error,
      });
    }
    server.unref();
    return new ProbeHub(path, randomToken(), dir, server);
  }

  /** What the target's environment needs to reach this hub (and nothing else should get). */
  env(): Record<string, string> {
    return { [SOCKET_ENV]: this.path, [SECRET_ENV]: this.secret };
  }

  close(): void {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
    removePrivateDir(this.dir);
  }
}
