/**
 * Whether this is a process's main thread, not a worker, read without loading
 * node:worker_threads where possible: a worker has it loaded before its
 * preloads run; a main thread mostly has not, and loading it (and the streams
 * under it) costs ≈1.5 ms of every app's start-up. It is asked only when
 * something loaded it already, or when Node does not list its loaded modules.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function onMainThread(): boolean {
  const loaded = (process as { moduleLoadList?: unknown }).moduleLoadList;
  if (Array.isArray(loaded) && !loaded.includes('NativeModule worker_threads')) return true;
  return (require('node:worker_threads') as typeof import('node:worker_threads')).isMainThread;
}
