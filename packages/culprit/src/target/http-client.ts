/** Real HTTP to the target over loopback, one keep-alive connection reused across requests. */
import http from 'node:http';
import type { TargetRequest } from './types.js';

export interface HttpOutcome {
  status: number;
  bytes: number;
}

export class LoopbackClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly timeoutMs = 120_000,
  ) {}

  /** Sends one request and reads the whole response body. */
  send(request: TargetRequest): Promise<HttpOutcome> {
    return new Promise((resolve, reject) => {
      const outgoing = http.request(
        {
          host: this.host,
          port: this.port,
          method: request.method,
          path: request.path,
          headers: { 'user-agent': 'culprit', ...request.headers },
          agent: this.agent,
          timeout: this.timeoutMs,
        },
        (response) => {
          let bytes = 0;
          response.on('data', (chunk: Buffer) => {
            bytes += chunk.byteLength;
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, bytes }));
          response.on('error', reject);
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error(`no response within ${this.timeoutMs / 1000} s`)));
      outgoing.on('error', reject);
      outgoing.end(request.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
