/**
 * Real HTTP(S) to the target over loopback, one keep-alive connection reused
 * across requests (in a cluster this keeps culprit on one worker). No
 * response timeout: a request is awaited however long it takes, and the
 * caller's signal (Ctrl-C) ends the wait. HTTPS skips certificate checks:
 * a dev server's self-signed certificate is the common case, and the
 * connection never leaves this machine (culprit says so in the notes).
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
  send(request: TargetRequest, signal?: AbortSignal): Promise<HttpOutcome> {
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
      const onResponse = (response: http.IncomingMessage): void => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.byteLength;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, bytes }));
        response.on('error', reject);
      };
      const outgoing = this.https ? this.https.request(options, onResponse) : http.request(options, onResponse);
      outgoing.on('error', reject);
      outgoing.end(request.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
