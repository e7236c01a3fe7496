/**
 * The probe's one in-thread module load hook (`module.registerHooks`, Node
 * 22.15+). Two parts of the probe watch the app's module loads from its start:
 * the ES module driver files (queries/esm-hook.ts) and node:worker_threads
 * (workers/main-side.ts). While any load hook is registered, Node runs every
 * module the app loads, `import` and `require` alike, through its hook chain:
 * a URL made for each CommonJS file, a context, the chain's closures, the
 * result validated, the source decoded. On ephemera (Node 24) that cost ≈55 M
 * instructions of its start, against ≈1 M for a second hook set beside the
 * first (bench/probe/README.md, "Start-up, seventh pass"). So the watchers share
 * one set, and the set is deregistered when the last watcher leaves: Node
 * then loads modules as if no hook had ever been there. Nothing here loads or
 * registers anything until the first watcher is added.
 */
import * as nodeModule from 'node:module';

/** What a load hook sees of a loaded module (the fields the probe's watchers read). */
export interface LoadResult {
  format?: string | null;
  source?: unknown;
}
type NextLoad = (url: string, context: unknown) => LoadResult;
type SyncLoad = (url: string, context: unknown, nextLoad: NextLoad) => LoadResult;
type RegisterHooks = (hooks: { load: SyncLoad }) => { deregister(): void };

/**
 * Sees each module as Node loaded it and returns it, or a changed copy (the next watcher sees that).
 * Runs inside the app's `import` or `require`: it must not throw (note a fault instead).
 */
export type LoadWatcher = (url: string, result: LoadResult) => LoadResult;

/**
 * How many module loads a watcher stays before it decides whether the process still needs it. A
 * process that loads few modules (a script, a tool of the tree) pays the hook on those few and none
 * of the decision (a file-system walk, loading node:worker_threads); a server loading hundreds of
 * files stops paying the hook on each, ≈80 thousand instructions a module on Node 24.
 */
export const WATCH_LOADS = 100;

let watchers: readonly LoadWatcher[] = [];
/** The registered hook set, while a watcher is on it. */
let registration: { deregister(): void } | undefined;

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
  registration ??= registerHooks({ load: runWatchers });
  watchers = [...watchers, watcher];
  return true;
}

/**
 * Takes `watcher` off (a watch that has done its work). With the last watcher the hook set goes too:
 * a load already in the chain finishes through it, the next one runs without hooks.
 */
export function unwatchModuleLoads(watcher: LoadWatcher): void {
  watchers = watchers.filter((each) => each !== watcher);
  if (watchers.length > 0 || registration === undefined) return;
  registration.deregister();
  registration = undefined;
}

// a new array per change, never mutated: a watcher that unwatches itself mid-loop leaves this loop's list as it was
function runWatchers(url: string, context: unknown, nextLoad: NextLoad): LoadResult {
  let result = nextLoad(url, context);
  for (const watcher of watchers) result = watcher(url, result);
  return result;
}
