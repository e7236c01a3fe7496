/**
 * Real HTTP(S) to the target over loopback, one keep-alive connection reused
 * across requests (in a cluster this keeps culprit on one worker). No
 * response timeout: a request is awaited however long it takes, and the
 * caller's signal (Ctrl-C) ends the wait. HTTPS skips certificate checks:
 * a dev server's self-signed certificate is the common case, and the
 * connection never leaves this machine (culprit says so in the notes).
 *
 * A kept-alive socket the server closes as idle while the next request is on
 * its way (its keep-alive timer fires late when its event loop was blocked, as
 * during a start-up) resets that request before the server read it: it is sent
 * once more on a new socket, as Node's documentation advises (`reusedSocket`).
 */
import http from 'node:http';
import type https from 'node:https';
import { createRequire } from 'node:module';
import type { TargetRequest } from './types.js';

// node:https (with TLS and crypto) loads only for an HTTPS target: tens of ms of every run's start otherwise
const require = createRequire(import.meta.url);
const loadHttps = (): typeof https => require('node:https') as typeof https;

export interface HttpOutcome {
  status: number;
  bytes: number;
}

export class LoopbackClient {
  private readonly agent: http.Agent;
  private readonly https: typeof https | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
    secure = false,
  ) {
    this.https = secure ? loadHttps() : undefined;
    this.agent = this.https
      ? new this.https.Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false })
      : new http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  /** Sends one request and reads the whole response body. */
  async send(request: TargetRequest, signal?: AbortSignal): Promise<HttpOutcome> {
    try {
      return await this.sendOnce(request, signal);
    } catch (error) {
      if (!(error instanceof StaleSocketError)) throw error;
      return await this.sendOnce(request, signal);
    }
  }

  private sendOnce(request: TargetRequest, signal?: AbortSignal): Promise<HttpOutcome> {
    return new Promise((resolve, reject) => {
      const options: http.RequestOptions = {
        host: this.host,
        port: this.port,
        method: request.method,
        path: request.path,
        headers: { 'user-agent': 'culprit', ...request.headers },
        agent: this.agent,
        ...(signal ? { signal } : {}),
      };
      let answered = false;
      const onResponse = (response: http.IncomingMessage): void => {
        answered = true;
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.byteLength;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, bytes }));
        response.on('error', reject);
      };
      const outgoing = this.https ? this.https.request(options, onResponse) : http.request(options, onResponse);
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        const stale = !answered && outgoing.reusedSocket && error.code === 'ECONNRESET';
        reject(stale ? new StaleSocketError(error) : error);
      });
      outgoing.end(request.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** A reused keep-alive socket reset before any response: the server closed it as idle, the request unread. */
class StaleSocketError extends Error {
  constructor(cause: Error) {
    super(cause.message, { cause });
    this.name = 'StaleSocketError';
  }
}
