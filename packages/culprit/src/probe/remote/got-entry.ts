/**
 * got's entry (client-entry.ts), kept on the options of the request it is
 * for. `request.flush()`, the last handler of the app's `got()` call, starts
 * the request synchronously: `flush` (wrapped here, run in the app's call)
 * takes the app's stack in its own body and puts it on the request's Options,
 * in its `_internals`. got 14.6+ publishes `got:request:create` in its Request
 * constructor first, which tells a flush of the app's call from one made later
 * by an asynchronous handler; got 12 to 14.5 publish nothing. The options of a
 * retry or a redirect are cloned from those (an object spread, which copies
 * the symbol), so they keep the app's call.
 *
 * Every got since 12 picks `http.request`/`https.request` through its
 * Options' `getFallbackRequestFunction` and calls it from its own callbacks:
 * the function it gets is marked with the options' entry (clientRequest), so
 * the request takes the entry's frames and no stack of its own.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FallbackStack } from '../composed-stacks.js';
import { appFrameOnly, closeOwnLater, openOwn, ownCaptureWanted } from '../entry-stacks.js';
import { noteFault } from '../faults.js';
import type { FrameSource, StackHolder } from '../frame-source.js';
import { GOT_OPTIONS_FILE, GOT_REQUEST_FILE } from '../queries/driver-files.js';
import { onEsmFile } from '../queries/esm-hook.js';
import { onCommonJsFile, packageFile } from '../queries/module-hook.js';
import { captureStackLater } from '../request-context.js';
import { clientRequest, ENTRY_STACK_DEPTH, entryPending, entryWanted } from './client-entry.js';
import { patchGot11Request } from './got11-entry.js';

const PATCHED = Symbol.for('culprit.got-flush');
const OPTIONS_PATCHED = Symbol.for('culprit.got-request-function');
/** The app's call a request's options were made for, in their `_internals` (enumerable: clones copy it). */
const ENTRY = Symbol.for('culprit.got-entry');

interface GotOptions {
  _internals?: { [ENTRY]?: FrameSource };
}
interface GotRequest {
  options?: GotOptions;
  _requestId?: unknown;
}

type Flush = (this: unknown, ...args: unknown[]) => unknown;

/** The module got 14.6+ names its channels in, beside the Request file (core/index.js imports its publishers). */
const CHANNELS_FILE = './diagnostics-channel.js';

/**
 * Whether got's Request file (`url`) publishes `got:request:create`: named in it, or in the channels module
 * it imports (got 14.6.6 names it there only; read as the Request file only, got's flush was patched too, and
 * each call took two stacks and two entries, the constructor's and the flush's).
 */
export function publishesEntry(url: string): boolean {
  try {
    const text = readFileSync(fileURLToPath(url), 'utf8');
    if (text.includes('got:request:create')) return true;
    if (!text.includes(CHANNELS_FILE) || !text.includes('publishRequestCreate')) return false;
    return readFileSync(fileURLToPath(new URL(CHANNELS_FILE, url)), 'utf8').includes('got:request:create');
  } catch {
    return false;
  }
}

/** Wraps the Request class's `flush` of one got copy, so its calls carry the app's line. */
export function patchGotRequest(namespace: Record<string, unknown>, url: string): void {
  try {
    const prototype = (namespace.default as { prototype?: Record<PropertyKey, unknown> } | undefined)?.prototype;
    const flush = prototype?.flush as Flush | undefined;
    if (!prototype || typeof flush !== 'function' || prototype[PATCHED]) return;
    prototype[PATCHED] = true;
    // got 14.6+ names its request on the channel first: a flush made later, by an asynchronous handler, is
    // not the app's call (its request takes its own stack); got 12–14.5 publish nothing, every flush takes one
    const published = publishesEntry(url);
    prototype.flush = function flushWithEntry(this: GotRequest, ...args: unknown[]): unknown {
      try {
        if (published ? entryPending(this._requestId) : entryWanted()) {
          let entry: FrameSource;
          if (ownCaptureWanted()) {
            // taken in this body: V8 walks got's lastHandler, iterateHandlers and got to the app's frame
            const holder: StackHolder = {};
            const limit = openOwn(flushWithEntry, ENTRY_STACK_DEPTH);
            try {
              Error.captureStackTrace(holder, flushWithEntry);
            } finally {
              // kept on the options while the request lives: its CallSites would keep got's handlers, and the request
              entry = appFrameOnly(closeOwnLater(holder, flushWithEntry, limit, ENTRY_STACK_DEPTH));
            }
          } else entry = captureStackLater(flushWithEntry, ENTRY_STACK_DEPTH);
          keepEntry(this, entry);
        }
      } catch (error) {
        noteFault('got entry', error);
      }
      return flush.apply(this, args);
    };
  } catch (error) {
    noteFault('got', error);
  }
}

/**
 * Puts `own` on the request's options. A retry's request is made by got's own callbacks, from a clone of the
 * first request's options: an entry with no application frame there falls back to the one the clone holds.
 */
function keepEntry(request: GotRequest, own: FrameSource | undefined): void {
  const internals = request.options?._internals;
  if (own === undefined || typeof internals !== 'object' || internals === null) return;
  const previous = internals[ENTRY];
  internals[ENTRY] = previous && !own.appFrame() ? new FallbackStack(own, previous) : own;
}

type PickRequest = (this: GotOptions) => unknown;

/** Wraps the Options class's `getFallbackRequestFunction` of one got copy: the function it returns is marked got's. */
export function patchGotOptions(namespace: Record<string, unknown>): void {
  try {
    const prototype = (namespace.default as { prototype?: Record<PropertyKey, unknown> } | undefined)?.prototype;
    const pick = prototype?.getFallbackRequestFunction as PickRequest | undefined;
    if (!prototype || typeof pick !== 'function' || prototype[OPTIONS_PATCHED]) return;
    prototype[OPTIONS_PATCHED] = true;
    prototype.getFallbackRequestFunction = function getFallbackRequestFunction(this: GotOptions): unknown {
      const request = pick.call(this);
      if (typeof request !== 'function') return request;
      return clientRequest(request as (...args: unknown[]) => unknown, this._internals?.[ENTRY]);
    };
  } catch (error) {
    noteFault('got', error);
  }
}

/** Patches every got copy whose Request and Options files load from now on (or have loaded). */
export function installGotEntryHook(): void {
  onEsmFile('got', packageFile('got', GOT_REQUEST_FILE), patchGotRequest);
  onEsmFile('got', packageFile('got', GOT_OPTIONS_FILE), patchGotOptions);
  // got 11 is CommonJS, at the same path
  onCommonJsFile(packageFile('got', GOT_REQUEST_FILE), (exports) => {
    if (typeof exports === 'object' && exports !== null) patchGot11Request(exports as Record<string, unknown>);
  });
}
