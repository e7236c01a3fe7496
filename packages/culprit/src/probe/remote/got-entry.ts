/**
 * got 12 to 14.5 publish no `got:request:create` (client-entry.ts). There,
 * the app's `got()` call ends in `request.flush()` (its last handler), which
 * starts the request, synchronously: the entry is taken at `flush`. A got
 * whose Request file names the channel is left to the channel.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { noteFault } from '../faults.js';
import { GOT_REQUEST_FILE } from '../queries/driver-files.js';
import { onEsmFile } from '../queries/esm-hook.js';
import { packageFile } from '../queries/module-hook.js';
import { enterClient } from './client-entry.js';

const PATCHED = Symbol.for('culprit.got-flush');

type Flush = (this: unknown, ...args: unknown[]) => unknown;

function publishesEntry(url: string): boolean {
  try {
    return readFileSync(fileURLToPath(url), 'utf8').includes('got:request:create');
  } catch {
    return false;
  }
}

/** Wraps the Request class's `flush` of one got copy, so its calls carry the app's line. */
export function patchGotRequest(namespace: Record<string, unknown>, url: string): void {
  try {
    const prototype = (namespace.default as { prototype?: Record<PropertyKey, unknown> } | undefined)?.prototype;
    const flush = prototype?.flush as Flush | undefined;
    if (!prototype || typeof flush !== 'function' || prototype[PATCHED] || publishesEntry(url)) return;
    prototype[PATCHED] = true;
    prototype.flush = function flushWithEntry(this: unknown, ...args: unknown[]): unknown {
      enterClient(flushWithEntry);
      return flush.apply(this, args);
    };
  } catch (error) {
    noteFault('got', error);
  }
}

/** Patches every got copy whose Request file loads from now on (or has loaded). */
export function installGotEntryHook(): void {
  onEsmFile('got', packageFile('got', GOT_REQUEST_FILE), patchGotRequest);
}
