/**
 * One POST of a binary body, with a deadline, answering the status or the
 * kind of failure (`timeout`, `network`). node:http rather than fetch: in the
 * export worker, the first fetch compiles undici's WebAssembly HTTP parser
 * (86–133 ms against 18–28 ms for the first node:http POST, and on Node 20
 * ≈300 ms more on V8's helper threads; bench/register/README.md, wallgap),
 * CPU a production process pays at its first sampled request.
 */
import http from 'node:http';
import https from 'node:https';

export type PostOutcome = { status: number } | { failure: 'timeout' | 'network' };

/** Reused connections to the collector, as fetch's global agent kept them. */
const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

export function postBody(
  url: string,
  headers: Record<string, string>,
  body: Uint8Array,
  timeoutMs: number,
): Promise<PostOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      settle({ failure: 'network' });
      return;
    }
    const secure = target.protocol === 'https:';
    const request = (secure ? https : http).request(target, {
      method: 'POST',
      agent: secure ? agents.https : agents.http,
      headers: { ...headers, 'content-length': String(body.byteLength) },
    });
    // the whole exchange, not each socket wait: a collector that trickles its answer is a timeout too
    const timer = setTimeout(() => {
      settle({ failure: 'timeout' });
      request.destroy();
    }, timeoutMs);
    timer.unref();
    request.on('error', () => settle({ failure: 'network' }));
    request.on('response', (response) => {
      // the body is read so the connection can be reused; its content (partial success) is not needed
      response.resume();
      response.on('end', () => settle({ status: response.statusCode ?? 0 }));
      response.on('error', () => settle({ failure: 'network' }));
    });
    request.end(body);
  });
}

/** What a PostOutcome counts as: success, or the failure's kind (`http 500`, `timeout`, `network`). */
export function failureOf(outcome: PostOutcome): string | undefined {
  if ('failure' in outcome) return outcome.failure;
  return outcome.status >= 200 && outcome.status < 300 ? undefined : `http ${outcome.status}`;
}
