/**
 * got 11, the last CommonJS major, has no `flush` and publishes nothing: its
 * Request constructor starts an async function whose first call,
 * `_finalizeBody`, still runs in the app's `got()` call. The entry is taken
 * there, and the request function got will pick (`options.request`, else
 * `http.request`/`https.request` by the URL's protocol) is put on the
 * request's options marked with it (clientRequest), so the request got makes
 * later, from its own callbacks, takes the app's frames. got deletes
 * `options.request` once it has used it: a retry or a redirect takes its own
 * stack, as any request without an entry does.
 */
import http from 'node:http';
import https from 'node:https';
import { noteFault } from '../faults.js';
import { clientRequest, enterClient } from './client-entry.js';

const PATCHED = Symbol.for('culprit.got11-finalize');

type RequestFunction = (...args: unknown[]) => unknown;

interface Got11Options {
  url?: URL;
  http2?: boolean;
  request?: RequestFunction;
}
interface Got11Request {
  options?: Got11Options;
}

/** got 11's Request: `_finalizeBody` and `_makeRequest` on the prototype, no `flush` (got 12+ has one). */
function isGot11(prototype: Record<PropertyKey, unknown>): boolean {
  return (
    typeof prototype._finalizeBody === 'function' &&
    typeof prototype._makeRequest === 'function' &&
    typeof prototype.flush !== 'function'
  );
}

/** Wraps `_finalizeBody` of got 11's Request class (`namespace.default`), once. */
export function patchGot11Request(namespace: Record<string, unknown>): void {
  try {
    const prototype = (namespace.default as { prototype?: Record<PropertyKey, unknown> } | undefined)?.prototype;
    if (!prototype || !isGot11(prototype) || prototype[PATCHED]) return;
    prototype[PATCHED] = true;
    const finalize = prototype._finalizeBody as (this: Got11Request, ...args: unknown[]) => unknown;
    prototype._finalizeBody = function finalizeWithEntry(this: Got11Request, ...args: unknown[]): unknown {
      try {
        markRequestFunction(this.options, enterClient(finalizeWithEntry));
      } catch (error) {
        noteFault('got 11 entry', error);
      }
      return finalize.apply(this, args);
    };
  } catch (error) {
    noteFault('got 11', error);
  }
}

function markRequestFunction(options: Got11Options | undefined, entry: ReturnType<typeof enterClient>): void {
  // HTTP/2 goes through http2-wrapper, which makes no http.request of its own to mark
  if (entry === undefined || !options || options.http2 || !(options.url instanceof URL)) return;
  const picked = options.request ?? (options.url.protocol === 'https:' ? https.request : http.request);
  options.request = clientRequest(picked as RequestFunction, entry);
}
