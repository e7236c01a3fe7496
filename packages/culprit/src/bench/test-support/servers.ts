import http from 'node:http';
import net from 'node:net';

/** A server of the test's own on 127.0.0.1; `url` points at it, `close` stops it. */
export interface TestServer {
  url: string;
  close(): Promise<void>;
}

function listen(server: net.Server): Promise<TestServer> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      resolve({
        url: `http://127.0.0.1:${address.port}/`,
        close: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** An HTTP server answering every request with `handler`. */
export function httpServer(handler: http.RequestListener): Promise<TestServer> {
  return listen(http.createServer({ keepAliveTimeout: 5000 }, handler));
}

/** A raw TCP server that reacts to the first bytes of every connection. */
export function rawServer(onRequest: (socket: net.Socket) => void): Promise<TestServer> {
  return listen(net.createServer((socket) => socket.once('data', () => onRequest(socket))));
}

/** A URL on which nothing listens (connections are refused). */
export async function refusingUrl(): Promise<string> {
  const server = await listen(net.createServer());
  await server.close();
  return server.url;
}
