/**
 * What the URL on culprit's command line says about where to send: the path
 * always, the port and scheme when written out. A server with an admin port
 * and an app port is reached on the port the user named, and `https://` is
 * sent as HTTPS, never silently as plain HTTP to some other port.
 */
import { CulpritError } from '../errors/culprit-error.js';

export interface TargetUrl {
  /** Path and query, e.g. `/api/items?page=2`. */
  path: string;
  /** The port written in the URL (absent for a bare path or a URL without one). */
  port?: number;
  /** The scheme written in the URL (absent for a bare path: learned from the server). */
  scheme?: 'http' | 'https';
}

/** Parses a URL or a path starting with `/`. */
export function parseTargetUrl(url: string): TargetUrl {
  if (url.startsWith('/')) return { path: url };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new CulpritError('CULPRIT_E_BAD_URL', `expected a URL or a path starting with /, got '${url}'`, {
      cause: error,
    });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CulpritError('CULPRIT_E_BAD_URL', `expected an http:// or https:// URL, got '${url}'`);
  }
  const target: TargetUrl = {
    path: `${parsed.pathname}${parsed.search}`,
    scheme: parsed.protocol === 'https:' ? 'https' : 'http',
  };
  if (parsed.port !== '') target.port = Number(parsed.port);
  return target;
}

/** The port to use: `--port` and the URL's port must agree when both are given. */
export function portOf(url: TargetUrl, flag: number | undefined): number | undefined {
  if (flag !== undefined && url.port !== undefined && flag !== url.port) {
    throw new CulpritError(
      'CULPRIT_E_FLAG_CONFLICT',
      `the URL names port ${url.port} but --port says ${flag}; give one of them`,
    );
  }
  return flag ?? url.port;
}
