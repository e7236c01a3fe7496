/**
 * Reaching a driver that ships as ES modules (postgres.js's `src/`, mariadb
 * 3.5's `lib/`). An ES module's exports cannot be replaced, but the classes it
 * exports can be patched, once the probe holds them. A module loader hook
 * appends two lines to the few files a driver hook asked for: a self-import of
 * the module's namespace and a call that hands it to the probe right after the
 * module's body ran (appended at the end, so line numbers do not move).
 *
 * Node 22.15+ has `module.registerHooks` (in-thread, synchronous: the probe's
 * one hook set, load-hook.ts, which the Worker watch shares). From the first
 * ES module (or a hundred loads) on, it stays only where one of the hooked
 * packages is installed (a node_modules folder at or above the main script):
 * while any load hook is registered, every module the app loads costs more.
 * Node 20 has only `module.register`, whose hooks run in
 * a loader thread that every later `import` goes through and that costs each
 * process a thread's start (≈0.8 s measured on a loaded 2-core machine). There
 * it is started only in a process whose own package (the package.json nearest
 * its main script) lists a package that needs it: not in npm, npx or tsx's CLI
 * on the way to the server. CULPRIT_ESM_HOOKS=1 starts either anyway (a
 * monorepo whose server's package reaches the driver through another
 * workspace package).
 */
import * as nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';
import { noteFault } from '../faults.js';
import { type LoadResult, type LoadWatcher, unwatchModuleLoads, WATCH_LOADS, watchModuleLoads } from '../load-hook.js';

// node:fs and node:path by process.getBuiltinModule (no createRequire at start either), when a Node 20 process looks for its package.json: an ES module
// import of node:fs builds its ESM facade, whose `promises` getter loads fs/promises and its streams
// (≈1.5 ms on Node 20, ≈3 ms on Node 24, in every process of the tree).

type EsmPatch = (namespace: Record<string, unknown>, url: string) => void;

interface EsmHook {
  /** A pattern over the module's file path (as `packageFile` builds). */
  file: RegExp;
  /** The npm package the file belongs to (Node 20: the loader starts only if one is installed). */
  pkg: string;
  patch: EsmPatch;
}

const LOADED = Symbol.for('culprit.esm-loaded');
const hooks: EsmHook[] = [];
/**
 * Every hooked module handed over so far. A hook can register after its
 * module evaluated: under a TypeScript loader installed before the probe
 * (tsx's CLI preloads its CommonJS hooks), the driver hooks load by import(),
 * a few ticks after the first driver file asked for them, when Drizzle's
 * other files have already run. Their classes are patched then, on
 * registration, before any query (a handful of namespaces kept).
 */
const handedOver: Array<{ path: string; url: string; namespace: Record<string, unknown> }> = [];
let started = false;

/** Calls `patch(namespace)` when an ES module whose path matches `file` has evaluated (or at once, if it has). */
export function onEsmFile(pkg: string, file: RegExp, patch: EsmPatch): void {
  hooks.push({ pkg, file, patch });
  const global = globalThis as Record<symbol, unknown>;
  global[LOADED] ??= handOver;
  for (const module of handedOver) if (file.test(module.path)) applyPatch(patch, module.namespace, module.url);
}

function applyPatch(patch: EsmPatch, namespace: Record<string, unknown>, url: string): void {
  try {
    patch(namespace, url);
  } catch (error) {
    noteFault(`patch ${url}`, error);
  }
}

/** The ES module file patterns hooks registered so far (hook-loading.test.ts holds them to driver-files.ts). */
export function hookedEsmPatterns(): RegExp[] {
  return hooks.map((hook) => hook.file);
}

function handOver(url: unknown, namespace: unknown): void {
  if (typeof url !== 'string' || typeof namespace !== 'object' || namespace === null) return;
  const path = url.startsWith('file:') ? fileURLToPath(url) : url;
  handedOver.push({ path, url, namespace: namespace as Record<string, unknown> });
  for (const hook of hooks) if (hook.file.test(path)) applyPatch(hook.patch, namespace as Record<string, unknown>, url);
}

/** The two lines appended to a hooked module (a module may import itself: it is already in the graph). */
export function handOverSuffix(url: string): string {
  return `\n;import * as __culpritSelf from ${JSON.stringify(url)};globalThis[Symbol.for('culprit.esm-loaded')]?.(import.meta.url, __culpritSelf);\n`;
}

/**
 * Starts the loader hook for every `onEsmFile` so far (call once, after all
 * driver hooks registered). No-op when no hook asked for ES modules.
 */
export function startEsmHooks(): void {
  if (started || hooks.length === 0) return;
  started = true;
  const sources = hooks.map((hook) => hook.file.source);
  const api = nodeModule as unknown as { register?: (specifier: string, options?: { data?: unknown }) => void };
  try {
    if (
      watchModuleLoads(
        handOverWatcher(
          sources,
          hooks.map((hook) => hook.pkg),
        ),
      )
    )
      return;
    if (typeof api.register === 'function' && ownPackageNeeds(hooks.map((hook) => hook.pkg))) {
      api.register(`data:text/javascript,${encodeURIComponent(ASYNC_LOADER)}`, { data: { sources } });
    }
  } catch (error) {
    noteFault('ES module hooks', error);
  }
}

/**
 * The in-thread rewrite: every module the app loads passes here, so a file URL is first tested whole
 * against all patterns at once (one RegExp; a pattern's `$` also ends before a query or hash). Only a
 * module that passes has its path decoded (`fileURLToPath` parses the URL: ≈1 µs on every file) and
 * tested as before. At the first ES module, or after WATCH_LOADS loads, the watcher leaves unless one
 * of `packages` is installed (mayLoadPackage), so that the probe's hook set can go (load-hook.ts): a
 * process that loads few CommonJS files walks no folders, and an ES module app without these packages
 * never compiles the patterns.
 */
function handOverWatcher(sources: string[], packages: string[]): LoadWatcher {
  // made at the first ES module: a process of the tree that loads none compiles neither
  let patterns: RegExp[] | undefined;
  let anyInUrl: RegExp | undefined;
  let loads = 0;
  let decided = false;
  const watcher: LoadWatcher = (url, result) => {
    if (!decided && (result.format === 'module' || ++loads >= WATCH_LOADS)) {
      decided = true;
      if (!mayLoadPackage(packages)) {
        unwatchModuleLoads(watcher);
        return result;
      }
    }
    if (result.format !== 'module') return result;
    anyInUrl ??= new RegExp(sources.map((source) => `(?:${source.replace(/\$$/, '(?:$|[?#])')})`).join('|'));
    if (!anyInUrl.test(url)) return result;
    patterns ??= sources.map((source) => new RegExp(source));
    try {
      return appendHandOver(patterns, url, result);
    } catch (error) {
      noteFault(`ES module hook ${url}`, error);
      return result;
    }
  };
  return watcher;
}

function appendHandOver(patterns: RegExp[], url: string, result: LoadResult): LoadResult {
  if (result.format !== 'module' || result.source === undefined || result.source === null) return result;
  if (!url.startsWith('file:')) return result;
  const path = fileURLToPath(url);
  if (!patterns.some((pattern) => pattern.test(path))) return result;
  const text =
    typeof result.source === 'string' ? result.source : new TextDecoder().decode(result.source as Uint8Array);
  return { ...result, source: text + handOverSuffix(url) };
}

/** Node 20's off-thread loader: the same rewrite as appendHandOver, self-contained (it runs in another thread). */
const ASYNC_LOADER = `
import { fileURLToPath } from 'node:url';
let patterns = [];
export function initialize(data) { patterns = (data?.sources ?? []).map((s) => new RegExp(s)); }
export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (result.format !== 'module' || result.source == null || !url.startsWith('file:')) return result;
  if (!patterns.some((p) => p.test(fileURLToPath(url)))) return result;
  const text = typeof result.source === 'string' ? result.source : new TextDecoder().decode(result.source);
  return { ...result, source: text + ${JSON.stringify(handOverSuffix('@URL@'))}.replace('"@URL@"', JSON.stringify(url)) };
}
`;

/**
 * Whether one of `packages` is installed where the app's modules resolve from: a `node_modules` folder
 * (or pnpm's `node_modules/.pnpm/node_modules`) in the main script's folder or above, or the working
 * directory's. An in-thread hook costs each module the app loads ≈80 thousand instructions on Node 24
 * (load-hook.ts), so in a process that cannot reach these packages the watcher leaves. Under Yarn's
 * Plug'n'Play (no node_modules) and with CULPRIT_ESM_HOOKS=1 it always stays.
 */
function mayLoadPackage(packages: string[]): boolean {
  if (process.env.CULPRIT_ESM_HOOKS === '1' || process.versions.pnp !== undefined) return true;
  const script = process.argv[1];
  // a main script installed elsewhere (a global CLI run in the project) resolves nothing of the project's
  return (
    (script !== undefined && installedAbove(pathsOf(script).dirname(script), packages)) ||
    installedAbove(process.cwd(), packages)
  );
}

/** Whether one of `packages` is in a node_modules folder (or pnpm's) at `from` or above. */
function installedAbove(from: string, packages: string[]): boolean {
  const { existsSync } = process.getBuiltinModule('node:fs');
  const { dirname, join } = pathsOf(from);
  const names = [...new Set(packages)];
  for (let dir = from; ; ) {
    const modules = join(dir, 'node_modules');
    if (existsSync(modules)) {
      const pnpm = join(modules, '.pnpm/node_modules');
      const roots = existsSync(pnpm) ? [modules, pnpm] : [modules];
      if (roots.some((root) => names.some((name) => existsSync(join(root, name))))) return true;
    }
    const parent = dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}

/**
 * dirname and join for an absolute path: by string on POSIX. node:path's normalizeString, which
 * walks each path a character at a time, tipped into V8's Maglev tier with these few joins in a
 * process that resolves little else (`node -e` on Node 24, when the walk ran at start: +2 M
 * instructions, most of them the compile).
 */
function pathsOf(absolute: string): { dirname(path: string): string; join(dir: string, name: string): string } {
  if (!absolute.startsWith('/')) return process.getBuiltinModule('node:path');
  return {
    dirname: (path) => path.slice(0, Math.max(path.lastIndexOf('/'), 1)),
    join: (dir, name) => (dir.endsWith('/') ? dir + name : `${dir}/${name}`),
  };
}

/** Whether the package.json nearest the main script (else the working directory) depends on one of `packages`. */
function ownPackageNeeds(packages: string[]): boolean {
  if (process.env.CULPRIT_ESM_HOOKS === '1') return true;
  const { existsSync } = process.getBuiltinModule('node:fs');
  const { dirname, join } = process.getBuiltinModule('node:path');
  let dir = process.argv[1] ? dirname(process.argv[1]) : process.cwd();
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return dependsOn(manifest, packages);
    const parent = dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}

function dependsOn(manifest: string, packages: string[]): boolean {
  try {
    const { readFileSync } = process.getBuiltinModule('node:fs');
    const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, unknown>;
    const fields = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];
    return fields.some((field) => {
      const deps = parsed[field];
      return typeof deps === 'object' && deps !== null && packages.some((pkg) => Object.hasOwn(deps, pkg));
    });
  } catch (error) {
    noteFault(`read ${manifest}`, error); // then no loader, as for a package without these drivers
    return false;
  }
}
