/**
 * Serves a fetch-style handler (`(Request) => Response`, Hono's `app.fetch`,
 * `export default { fetch }`) from a Node `(req, res)` listener, so every
 * kind of app goes through the same in-memory HTTP path.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/** What @hono/node-server hands a fetch handler as its second argument; Hono keeps it as `c.env`. */
export interface NodeBindings {
  incoming: IncomingMessage;
  outgoing: ServerResponse;
}

export type FetchHandler = (request: Request, env: NodeBindings) => Response | Promise<Response>;

function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers };
  if (method !== 'GET' && method !== 'HEAD') {
    init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
    init.duplex = 'half';
  }
  return new Request(new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`), init);
}

async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status;
  const cookies = response.headers.getSetCookie();
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  if (!response.body) {
    res.end();
    return;
  }
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
  res.end();
}

/** A Node listener that calls `handler` and writes its Response back. */
export function fetchListener(handler: FetchHandler): RequestListener {
  return (req, res) => {
    Promise.resolve()
      .then(() => handler(toRequest(req), { incoming: req, outgoing: res }))
      .then((response) => writeResponse(response, res))
      .catch((error: unknown) => {
        // the app's handler threw: answer 500 as a server would, and say why on its stderr
        process.stderr.write(
          `culprit: the fetch handler threw: ${error instanceof Error ? error.stack : String(error)}\n`,
        );
        if (!res.headersSent) res.statusCode = 500;
        res.end();
      });
  };
}
