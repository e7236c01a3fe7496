/**
 * The CLI's end of the probe socket: a unix-socket server in the temp dir
 * (never a TCP port) that every probe of the target's tree may connect to, and
 * one ProbeLink per connection that calls methods and receives events.
 */
import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorCatalog } from '../errors/catalog.js';
import { CulpritError } from '../errors/culprit-error.js';
import type { ErrorMessage, HelloMessage, ProbeMessage, ProbeRequest } from '../probe/protocol.js';

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

  constructor(private readonly socket: Socket) {
    super();
    socket.setEncoding('utf8');
    let buffer = '';
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (!line.trim()) continue;
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
      this.closed = true;
      for (const pending of this.pending.values()) pending.reject(new Error('the target closed its probe connection'));
      this.pending.clear();
      this.emit('close');
    });
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

/** The socket server; `path` goes into the target's environment. */
export class ProbeHub extends EventEmitter<HubEvents> {
  readonly links: ProbeLink[] = [];

  private constructor(
    readonly path: string,
    private readonly server: Server,
  ) {
    super();
    server.on('connection', (socket) => {
      const link = new ProbeLink(socket);
      this.links.push(link);
      this.emit('link', link);
    });
  }

  /** Listens on a fresh socket path under the temp dir. */
  static async open(): Promise<ProbeHub> {
    const path = join(tmpdir(), `culprit-${process.pid}-${Math.random().toString(36).slice(2, 10)}.sock`);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    server.unref();
    return new ProbeHub(path, server);
  }

  close(): void {
    for (const link of this.links) link.close();
    this.server.close();
    rmSync(this.path, { force: true });
  }
}
