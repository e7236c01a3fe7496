/**
 * got 12 to 14.5 publish no `got:request:create` (client-entry.ts). There,
 * the app's `got()` call ends in `request.flush()` (its last handler), which
 * starts the request, synchronously: the entry is taken at `flush`. A got
 * whose Request file names the channel is left to the channel.
 *
 * Every got since 12 picks `http.request`/`https.request` through its
 * Options' `getFallbackRequestFunction` and calls it from its own callbacks:
 * the function it gets is marked as got's (clientRequest), so the request
 * takes the entry's frames and no stack of its own.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { noteFault } from '../faults.js';
import { GOT_OPTIONS_FILE, GOT_REQUEST_FILE } from '../queries/driver-files.js';
import { onEsmFile } from '../queries/esm-hook.js';
import { packageFile } from '../queries/module-hook.js';
import { clientRequest, enterClient, notePublisher } from './client-entry.js';

const PATCHED = Symbol.for('culprit.got-flush');
const OPTIONS_PATCHED = Symbol.for('culprit.got-request-function');

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
    if (publishesEntry(url)) {
      // the channel's subscriber takes the stack below the constructor that publishes it
      notePublisher(namespace.default);
      return;
    }
    prototype[PATCHED] = true;
    prototype.flush = function flushWithEntry(this: unknown, ...args: unknown[]): unknown {
      enterClient(flushWithEntry);
      return flush.apply(this, args);
    };
  } catch (error) {
    noteFault('got', error);
  }
}

type PickRequest = (this: unknown) => unknown;

/** Wraps the Options class's `getFallbackRequestFunction` of one got copy: the function it returns is marked got's. */
export function patchGotOptions(namespace: Record<string, unknown>): void {
  try {
    const prototype = (namespace.default as { prototype?: Record<PropertyKey, unknown> } | undefined)?.prototype;
    const pick = prototype?.getFallbackRequestFunction as PickRequest | undefined;
    if (!prototype || typeof pick !== 'function' || prototype[OPTIONS_PATCHED]) return;
    prototype[OPTIONS_PATCHED] = true;
    prototype.getFallbackRequestFunction = function getFallbackRequestFunction(this: unknown): unknown {
      const request = pick.call(this);
      return typeof request === 'function' ? clientRequest(request as (...args: unknown[]) => unknown) : request;
    };
  } catch (error) {
    noteFault('got', error);
  }
}

/** Patches every got copy whose Request and Options files load from now on (or have loaded). */
export function installGotEntryHook(): void {
  onEsmFile('got', packageFile('got', GOT_REQUEST_FILE), patchGotRequest);
  onEsmFile('got', packageFile('got', GOT_OPTIONS_FILE), patchGotOptions);
}
