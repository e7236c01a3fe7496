import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running report server. */
export interface ReportServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves one HTML document on 127.0.0.1 and nothing else: `/` returns the
 * report, every other path 404, every method but GET/HEAD 405. The Host
 * header must name the loopback address, so a web page cannot reach the
 * report through DNS rebinding.
 */
export async function serveReport(html: string, port = 0): Promise<ReportServer> {
  const body = Buffer.from(html, 'utf8');
  const server = createServer((req, res) => respond(req, res, body, server.address() as AddressInfo));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function respond(req: IncomingMessage, res: ServerResponse, body: Buffer, address: AddressInfo): void {
  const allowedHosts = [`127.0.0.1:${address.port}`, `localhost:${address.port}`];
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
  const path = (req.url ?? '/').split('?')[0];
  if (!allowedHosts.includes(req.headers.host ?? '')) end(res, 403, 'forbidden host\n');
  else if (req.method !== 'GET' && req.method !== 'HEAD') end(res, 405, 'method not allowed\n');
  else if (path !== '/' && path !== '/index.html') end(res, 404, 'not found\n');
  else sendReport(req, res, body);
}

function sendReport(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function end(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}
