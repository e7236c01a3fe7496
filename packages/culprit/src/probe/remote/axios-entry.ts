/**
 * axios's entry (client-entry.ts). axios 1.x sends a request without
 * interceptors synchronously inside the app's call: `axios.get` →
 * `Axios#request` → `Axios#_request` → dispatchRequest → the http adapter →
 * follow-redirects → `http.request`, 14 frames below the app's. The
 * `http.request` wrapper's short capture (SHORT_STACK) held no application
 * frame there and took the stack again, 40 frames deep: ≈455k instructions
 * per call on Node 20 (bench/network/README.md, perf11). `_request` (the
 * method every way in calls: `axios()`, `axios.get`, an instance's) is
 * wrapped here: it takes the stack in its own body, where the app's frame is
 * 3 or 4 frames down, and the `http.request` made while it runs takes those
 * frames (issueAsClient) and no stack of its own. A request sent later (an
 * asynchronous interceptor first) takes its own stack, as without the hook:
 * its capture reaches the app's `await` among V8's async frames.
 */
import { appFrameOnly, closeOwnLater, openOwn, ownCaptureWanted } from '../entry-stacks.js';
import { noteFault } from '../faults.js';
import type { FrameSource, StackHolder } from '../frame-source.js';
import { AXIOS_CJS_FILE, AXIOS_CLASS_FILE } from '../queries/driver-files.js';
import { onEsmFile } from '../queries/esm-hook.js';
import { onCommonJsFile, packageFile } from '../queries/module-hook.js';
import { captureStackLater } from '../request-context.js';
import { entryWanted, issueAsClient } from './client-entry.js';

const PATCHED = Symbol.for('culprit.axios-request');

type Method = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Wraps the request method of axios's Axios class, once: `_request` (1.x, called by the async `request`
 * before its first await), else `request` (0.x, whose default instance is bound to the original: only its
 * method shortcuts and instances made by `axios.create` go through the wrap).
 */
export function patchAxiosClass(Axios: unknown): void {
  try {
    const prototype = (Axios as { prototype?: Record<PropertyKey, unknown> } | undefined)?.prototype;
    if (!prototype || prototype[PATCHED]) return;
    const name = typeof prototype._request === 'function' ? '_request' : 'request';
    const original = prototype[name];
    if (typeof original !== 'function') return;
    prototype[PATCHED] = true;
    const send = original as Method;
    prototype[name] = function requestWithEntry(this: unknown, ...args: unknown[]): unknown {
      if (!entryWanted()) return send.apply(this, args);
      let entry: FrameSource | undefined;
      try {
        if (ownCaptureWanted()) {
          // taken in this body: V8 walks `request`, the method shortcut and its bound wrapper to the app's frame
          const holder: StackHolder = {};
          const limit = openOwn(requestWithEntry);
          try {
            Error.captureStackTrace(holder, requestWithEntry);
          } finally {
            // its application frame alone: the record reads no more, and the CallSites, kept until the app's
            // request ends, were what the recording promoted (got's entry: the same, got-entry.ts)
            entry = appFrameOnly(closeOwnLater(holder, requestWithEntry, limit));
          }
        } else entry = captureStackLater(requestWithEntry);
      } catch (error) {
        noteFault('axios entry', error);
      }
      return entry === undefined ? send.apply(this, args) : issueAsClient(entry, send, this, args);
    };
  } catch (error) {
    noteFault('axios', error);
  }
}

/** The Axios class of a loaded axios module: the ES module's class file, or the CommonJS bundle's `axios.Axios`. */
function axiosClassOf(exports: unknown): unknown {
  if (typeof exports !== 'function' && (typeof exports !== 'object' || exports === null)) return undefined;
  const value = exports as { Axios?: unknown; default?: unknown; prototype?: unknown };
  // 0.x's lib/core/Axios.js exports the class itself; 1.x's bundle the default instance, with the class on it
  if (typeof value.Axios === 'function') return value.Axios;
  if (typeof value.default === 'function') return value.default;
  return typeof exports === 'function' ? exports : undefined;
}

/** Patches every axios copy whose class file or Node bundle loads from now on (or has loaded). */
export function installAxiosEntryHook(): void {
  onEsmFile('axios', packageFile('axios', AXIOS_CLASS_FILE), (namespace) => patchAxiosClass(namespace.default));
  onCommonJsFile(packageFile('axios', AXIOS_CJS_FILE), (exports) => patchAxiosClass(axiosClassOf(exports)));
  // axios 0.x: CommonJS, the class in its own file
  onCommonJsFile(packageFile('axios', AXIOS_CLASS_FILE), (exports) => patchAxiosClass(axiosClassOf(exports)));
}
