/**
 * The request culprit sends, shaped from `-X`, `-d` and `-H` the way curl
 * shapes it, so a command line that works with curl means the same here:
 * `-d` without `-X` is a POST, and a body is always framed by Content-Length
 * (a GET with an unframed body is read by the server as the next request).
 */
import { isGraphqlRead } from './graphql-read.js';
import type { TargetRequest } from './types.js';

/** Methods that change state on the server: replaying them inserts rows, charges cards. */
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True for a method culprit must not repeat without being told (`--repeat-unsafe`). */
export function isUnsafeMethod(method: string): boolean {
  return UNSAFE.has(method.toUpperCase());
}

/**
 * True for a request culprit must not repeat without being told: an unsafe
 * method, except a POST that carries only GraphQL queries (a read).
 */
export function isUnsafeRequest(request: Pick<TargetRequest, 'method' | 'body' | 'headers'>): boolean {
  if (!isUnsafeMethod(request.method)) return false;
  return !(request.method.toUpperCase() === 'POST' && isGraphqlRead(request.body, request.headers?.['content-type']));
}

export interface RequestParts {
  /** `-X`, when given. */
  method?: string;
  path: string;
  /** Header names lower-cased. */
  headers?: Record<string, string>;
  /** `-d`, when given. */
  body?: string;
}

/** The request as sent: method defaulted as curl does, body framed. */
export function shapeRequest(parts: RequestParts): TargetRequest {
  const method = (parts.method ?? (parts.body === undefined ? 'GET' : 'POST')).toUpperCase();
  const request: TargetRequest = { method, path: parts.path };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(parts.headers ?? {})) headers[name.toLowerCase()] = value;
  if (parts.body !== undefined) {
    request.body = parts.body;
    // curl's default for -d; an explicit -H 'content-type: …' wins
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
    headers['content-length'] = String(Buffer.byteLength(parts.body));
  }
  if (Object.keys(headers).length) request.headers = headers;
  return request;
}

/**
 * Module mode's request line: `METHOD PATH`, or `PATH` alone (the method then
 * comes from `-X`, or curl's default), as URL mode takes a bare path.
 * Undefined when the positionals are not one of those two forms.
 */
export function moduleRequestLine(positionals: string[], methodFlag?: string): RequestLine | undefined {
  const [first, second, ...extra] = positionals;
  if (!first || extra.length) return undefined;
  if (second === undefined)
    return first.startsWith('/') || /^https?:\/\//i.test(first)
      ? { ...(methodFlag ? { method: methodFlag } : {}), path: first }
      : undefined;
  return { method: first, path: second };
}

export interface RequestLine {
  method?: string;
  path: string;
}
