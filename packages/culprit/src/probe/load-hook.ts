/**
 * The probe's one in-thread module load hook (`module.registerHooks`, Node
 * 22.15+). Two parts of the probe watch the app's module loads from its start:
 * the ES module driver files (queries/esm-hook.ts) and node:worker_threads
 * (workers/main-side.ts). Node runs every module the app loads, `import` and
 * `require` alike, through each registered hook set in turn; a second set cost
 * ephemera's start ≈15 M instructions on Node 24 (bench/probe/README.md,
 * "Start-up, seventh pass"), so the watchers share one set. Nothing here
 * loads or registers anything until the first watcher is added.
 */
import * as nodeModule from 'node:module';

/** What a load hook sees of a loaded module (the fields the probe's watchers read). */
export interface LoadResult {
  format?: string | null;
  source?: unknown;
}
type NextLoad = (url: string, context: unknown) => LoadResult;
type SyncLoad = (url: string, context: unknown, nextLoad: NextLoad) => LoadResult;
type RegisterHooks = (hooks: { load: SyncLoad }) => unknown;

/**
 * Sees each module as Node loaded it and returns it, or a changed copy (the next watcher sees that).
 * Runs inside the app's `import` or `require`: it must not throw (note a fault instead).
 */
export type LoadWatcher = (url: string, result: LoadResult) => LoadResult;

let watchers: readonly LoadWatcher[] = [];
let registered = false;

function registerHooksOf(): RegisterHooks | undefined {
  const registerHooks = (nodeModule as { registerHooks?: unknown }).registerHooks;
  return typeof registerHooks === 'function' ? (registerHooks as RegisterHooks) : undefined;
}

/** Whether this Node runs module hooks in-thread (22.15+, 23.5+): else watchModuleLoads adds nothing. */
export function hasInThreadModuleHooks(): boolean {
  return registerHooksOf() !== undefined;
}

/**
 * Adds `watcher` to the probe's load hook, registering the hook at the first call. Returns false, and
 * adds nothing, where Node has no in-thread module hooks (the caller falls back on its own).
 */
export function watchModuleLoads(watcher: LoadWatcher): boolean {
  const registerHooks = registerHooksOf();
  if (registerHooks === undefined) return false;
  if (!registered) {
    registerHooks({ load: runWatchers });
    registered = true; // set after the call: a Node that refused the hook leaves none to feed
  }
  watchers = [...watchers, watcher];
  return true;
}

/**
 * Takes `watcher` off (a watch that has done its work). The hook set itself stays registered: Node
 * can deregister it, but a set registered after ours would then be reordered for no gain.
 */
export function unwatchModuleLoads(watcher: LoadWatcher): void {
  watchers = watchers.filter((each) => each !== watcher);
}

// a new array per change, never mutated: a watcher that unwatches itself mid-loop leaves this loop's list as it was
function runWatchers(url: string, context: unknown, nextLoad: NextLoad): LoadResult {
  let result = nextLoad(url, context);
  for (const watcher of watchers) result = watcher(url, result);
  return result;
}
