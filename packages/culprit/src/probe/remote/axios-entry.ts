/**
 * axios's entry (client-entry.ts). axios 1.x sends a request without
 * interceptors synchronously inside the app's call: `axios.get` →
 * `Axios#request` → `Axios#_request` → dispatchRequest → the http adapter →
 * follow-redirects → `http.request`, 14 frames below the app's. The
 * `http.request` wrapper's short capture (SHORT_STACK) held no application
 * frame there and took the stack again, 40 frames deep: ≈455k instructions
 * per call on Node 20 (bench/network/README.md, perf11). `request` (what the
 * method shortcuts call) and `_request` (what every way in reaches: `axios()`,
 * `axios.get`, an instance's) are wrapped here: the outer one the app's call
 * went through takes the stack in its own body, where the app's frame is 2 to
 * 4 frames down (patchAxiosClass), and the `http.request` made while it runs takes those
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
import { clientEntryFrames, entryWanted, issueAsClient } from './client-entry.js';

const PATCHED = Symbol.for('culprit.axios-request');

type Method = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Wraps the request methods of axios's Axios class, once: `request` and, in 1.x, `_request` (called by the
 * async `request` before its first await). The method shortcuts (`axios.get`, an instance's) call `request`
 * through the prototype: its wrapper takes the stack with the shortcut, its bound wrapper and the app's frame
 * below it, not axios's `request` too (on Node 20 a Sparkplug frame, whose summary is a linear scan), and the
 * `_request` it calls synchronously takes no stack of its own (its entry is the one in force,
 * clientEntryFrames). `axios(config)` and `axios.request` call the `request` bound when the default instance
 * was made, before the wrap: `_request`'s wrapper takes the stack for them. In 0.x (no `_request`) the
 * default instance is bound to the original `request`: only its method shortcuts and instances made by
 * `axios.create` go through the wrap.
 */
export function patchAxiosClass(Axios: unknown): void {
  try {
    const prototype = (Axios as { prototype?: Record<PropertyKey, unknown> } | undefined)?.prototype;
    if (!prototype || prototype[PATCHED] || typeof prototype.request !== 'function') return;
    prototype[PATCHED] = true;
    if (typeof prototype._request === 'function') prototype._request = withEntry(prototype._request as Method);
    prototype.request = withEntry(prototype.request as Method);
  } catch (error) {
    noteFault('axios', error);
  }
}

/** `send` wrapped to take the app's stack in its own body, unless a wrapper above it in this call took it. */
function withEntry(send: Method): Method {
  return function requestWithEntry(this: unknown, ...args: unknown[]): unknown {
    if (clientEntryFrames() !== undefined || !entryWanted()) return send.apply(this, args);
    let entry: FrameSource | undefined;
    try {
      if (ownCaptureWanted()) {
        // taken in this body: V8 walks the method shortcut and its bound wrapper (and, below `_request`,
        // `request`) to the app's frame
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
