import type { LoadOptions } from './options.js';

/** Where a request goes: one socket can serve every request with the same key. */
export interface Target {
  url: URL;
  /** `https:host:port`: requests with the same key may share a connection. */
  key: string;
  tls: boolean;
  host: string;
  port: number;
  /** The whole request, serialized once and written as is on every send. */
  bytes: Buffer;
  headOnly: boolean;
}

/**
 * Serializes the request for `url` once, so the hot loop only writes a
 * buffer. Redirects get their own target (method and body per RFC 9110:
 * 301/302/303 turn a non-GET into a GET without body).
 */
export function buildTarget(load: LoadOptions, url: URL, method = load.method, body = load.body): Target {
  const tls = url.protocol === 'https:';
  const port = url.port === '' ? (tls ? 443 : 80) : Number(url.port);
  const sameOrigin = url.origin === new URL(load.url).origin;
  const lines = [`${method} ${url.pathname}${url.search} HTTP/1.1`];
  for (const [name, value] of load.headers) {
    if (!sameOrigin && name.toLowerCase() === 'host') lines.push(`Host: ${url.host}`);
    else lines.push(`${name}: ${value}`);
  }
  if (body !== undefined) lines.push(`Content-Length: ${body.length}`);
  else if (method === 'POST' || method === 'PUT' || method === 'PATCH') lines.push('Content-Length: 0');
  if (!load.keepAlive) lines.push('Connection: close');
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return {
    url,
    key: `${url.protocol}${url.hostname}:${port}`,
    tls,
    // URL keeps IPv6 literals in brackets; sockets want them bare.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    bytes: body === undefined ? head : Buffer.concat([head, body]),
    headOnly: method === 'HEAD',
  };
}

const MAX_CACHED_REDIRECTS = 32;

/** Caches redirect targets by absolute URL (bounded: a server minting endless URLs cannot grow it). */
export class RedirectTargets {
  private readonly cache = new Map<string, Target>();
  constructor(private readonly load: LoadOptions) {}

  /** The follow-up request for a `status` redirect from `from` to `location`; undefined if the location is unusable. */
  resolve(from: Target, status: number, location: string): Target | undefined {
    let url: URL;
    try {
      url = new URL(location, from.url);
    } catch {
      return undefined; // an unusable Location ends the chain: the 3xx is the response
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    const keepMethod = status === 307 || status === 308 || this.load.method === 'GET' || this.load.method === 'HEAD';
    const key = `${keepMethod}:${url.href}`;
    let target = this.cache.get(key);
    if (!target) {
      target = keepMethod ? buildTarget(this.load, url) : buildTarget(this.load, url, 'GET', undefined);
      if (this.cache.size >= MAX_CACHED_REDIRECTS) this.cache.clear();
      this.cache.set(key, target);
    }
    return target;
  }
}
