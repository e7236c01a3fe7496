/**
 * Whether this is a process's main thread, not a worker, read without loading
 * node:worker_threads where possible: a worker has it loaded before its
 * preloads run; a main thread mostly has not, and loading it (and the streams
 * under it) costs ≈1.5 ms of every app's start-up. It is asked only when
 * something loaded it already, or when Node does not list its loaded modules.
 * (By process.getBuiltinModule: a createRequire here cost the start of every
 * process ≈0.2 ms, and culprit/register's entry loads this file.)
 */

export function onMainThread(): boolean {
  const loaded = (process as { moduleLoadList?: unknown }).moduleLoadList;
  if (Array.isArray(loaded) && !loaded.includes('NativeModule worker_threads')) return true;
  return process.getBuiltinModule('node:worker_threads').isMainThread;
}
