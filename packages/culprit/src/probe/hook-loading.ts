/**
 * Driver hooks load with their driver. A process of the target's tree that
 * never loads pg, mysql2, ioredis… (a build worker, a script, most servers'
 * helpers) should not pay for some twenty hook modules at its start, yet a
 * hook must patch its driver's file the moment that file is loaded. So the
 * probe's start only watches: the first CommonJS file of a hooked package, or
 * a hooked ES module file, loads every hook synchronously (`require` of the
 * probe's ES modules, Node 20.19+) right there, and they patch that file and
 * all later ones as before. The recorder (serve.ts) loads them when it starts
 * anyway, for drivers reached otherwise (node:sqlite, a file loaded early).
 */
import { createRequire } from 'node:module';
import { noteFault } from './faults.js';
import { HOOKED_ESM_FILES, HOOKED_PACKAGES } from './queries/driver-files.js';
import { onEsmFile, startEsmHooks } from './queries/esm-hook.js';
import { onCommonJsFile, packageFile } from './queries/module-hook.js';

type QueryHooks = typeof import('./query-hooks.js');
type RemoteHooks = typeof import('./remote/index.js');

/** `require` from this file, made at the first use (a driver file loads): not at every process's start. */
let ownRequire: NodeJS.Require | undefined;
const require = (id: string): unknown => {
  ownRequire ??= createRequire(import.meta.url);
  return ownRequire(id);
};
/**
 * The hooks' files in this file's own module format: command mode runs the probe's CommonJS twins
 * (scripts/bundle-probe-cjs.mjs), where `require` of an ES module would start Node 20's ES module loader.
 */
const OWN_EXTENSION = import.meta.url.endsWith('.cjs') ? '.cjs' : '.js';
/**
 * code-cache.ts's loader, kept there by the entry that opened the cache (not imported: code-cache.ts is
 * copied into the entries, and this file is in start.js's bundle).
 */
const CACHED_LOAD = Symbol.for('culprit.codeCache.load');
let installed = false;
let loading: Promise<void> | undefined;

function install(queries: QueryHooks, remote: RemoteHooks): void {
  installed = true;
  queries.installQueryHooks();
  remote.installRedisHooks();
}

type Extensions = Record<string, unknown>;
/** Node's own `.js` loader, as it was when the probe started (before a TypeScript loader replaced it). */
let nodeJsLoader: unknown;

/**
 * `require` of the probe's own ES modules through Node's `.js` loader, so they are this graph's modules;
 * their CommonJS twins through culprit's code cache where an entry opened one (code-cache.ts): the
 * driver hooks are ~80 KB to compile.
 */
function requireOwn(path: string): unknown {
  const load = OWN_EXTENSION === '.cjs' ? (globalThis as Record<symbol, unknown>)[CACHED_LOAD] : undefined;
  if (typeof load === 'function') return load(decodeURIComponent(new URL(path, import.meta.url).pathname));
  const extensions = (process.getBuiltinModule('node:module') as unknown as { _extensions: Extensions })._extensions;
  const current = extensions['.js'];
  if (nodeJsLoader === undefined || nodeJsLoader === current) return require(path);
  extensions['.js'] = nodeJsLoader;
  try {
    return require(path);
  } finally {
    extensions['.js'] = current;
  }
}

/**
 * The module `name` (no extension) beside the module whose `import.meta.url` is `fromUrl`, loaded
 * synchronously in that module's format: a CommonJS twin through the code cache where an entry opened one.
 * For parts that load on demand yet may be needed before an `import()` would settle: the probe's record
 * side (serve.ts), culprit/register's request records (register/start.ts).
 */
export function requireBeside(fromUrl: string, name: string): unknown {
  const cjs = fromUrl.endsWith('.cjs');
  const url = new URL(`./${name}${cjs ? '.cjs' : '.js'}`, fromUrl);
  const load = cjs ? (globalThis as Record<symbol, unknown>)[CACHED_LOAD] : undefined;
  if (typeof load === 'function') return load(decodeURIComponent(url.pathname));
  return createRequire(fromUrl)(url.href.startsWith('file:') ? decodeURIComponent(url.pathname) : url.href);
}

/**
 * Loads and installs every driver hook now, synchronously (once): a driver file is being loaded and the
 * hooks must be in place before the app gets its exports, or culprit/register records its first request
 * (drivers no file announces, such as node:sqlite, are patched by then).
 */
export function loadDriverHooksNow(): void {
  if (installed) return;
  try {
    // A TypeScript loader (tsx's `--import tsx`) compiles a `require`d ES module into a CommonJS copy of its
    // own: hooks registered in a second module-hook.js (and a second request context) would never run. Such
    // a copy is told by its functions; the hooks then load by import(), which shares this graph's modules.
    const hooks = requireOwn(`./queries/module-hook${OWN_EXTENSION}`) as typeof import('./queries/module-hook.js');
    if (hooks.onCommonJsFile !== onCommonJsFile) {
      void loadDriverHooks();
      return;
    }
    install(
      requireOwn(`./query-hooks${OWN_EXTENSION}`) as QueryHooks,
      requireOwn(`./remote/index${OWN_EXTENSION}`) as RemoteHooks,
    );
  } catch (error) {
    // e.g. one of these modules is being imported right now: the hooks then patch a few ticks later
    noteFault('driver hooks (loaded late)', error);
    void loadDriverHooks();
  }
}

/** Loads and installs every driver hook (once); the recorder awaits it before it records. */
export function loadDriverHooks(): Promise<void> {
  if (installed) return Promise.resolve();
  loading ??= Promise.all([import('./query-hooks.js'), import('./remote/index.js')])
    .then(([queries, remote]) => {
      if (!installed) install(queries, remote);
    })
    .catch((error: unknown) => noteFault('driver hooks', error));
  return loading;
}

/**
 * For the probe's server side as it connects: loads the hooks now only when the app already loaded a driver
 * that no file announces (node:sqlite, Node 22.5+); otherwise they load with the first driver file
 * (watchDriverLoads) or with the first recorded request (request-recorder.ts). A server that queries no
 * database never compiles or installs them (≈20% of the server side's start-up on Node 20).
 */
export function loadDriverHooksIfUsed(): Promise<void> {
  const loaded = (process as { moduleLoadList?: unknown }).moduleLoadList;
  if (Array.isArray(loaded) && !loaded.includes('NativeModule sqlite')) return Promise.resolve();
  return loadDriverHooks();
}

/** Any file under `node_modules/<pkg>/` for the hooked packages. */
function anyHookedFile(): RegExp {
  const names = HOOKED_PACKAGES.map((pkg) => pkg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('/', '[\\\\/]'));
  return new RegExp(`[\\\\/]node_modules[\\\\/](?:${names.join('|')})[\\\\/]`);
}

/** Watches for the hooked packages from the process's start (call before the app's code runs). */
export function watchDriverLoads(): void {
  try {
    nodeJsLoader = (process.getBuiltinModule('node:module') as unknown as { _extensions: Extensions })._extensions[
      '.js'
    ];
    onCommonJsFile(anyHookedFile(), () => {
      loadDriverHooksNow();
      return undefined;
    });
    for (const [pkg, file] of HOOKED_ESM_FILES) onEsmFile(pkg, packageFile(pkg, file), loadDriverHooksNow);
    startEsmHooks();
  } catch (error) {
    noteFault('driver hooks', error);
  }
}
