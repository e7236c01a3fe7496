/**
 * Reaching a driver loaded from the app's own node_modules.
 *
 * pg, mysql2 and better-sqlite3 are CommonJS packages. Whoever loads them (a
 * `require`, an ESM `import`, an ORM, another copy of the package), the file
 * that defines the class we patch (`pg/lib/client.js`, …) is reached by a
 * CommonJS `require` inside the package, and every CommonJS file goes through
 * `Module.prototype._compile`. Wrapping it once lets a hook patch the file's
 * exports right after they exist, on every copy, before the app sees them.
 * Files already loaded when a hook is added are patched from `require.cache`.
 *
 * Jest runs every CommonJS file through its own loader (vm, its own module
 * registry), never `_compile`: a file loaded there after the hooks were added
 * is reached only by scanning again (`patchLoadedSince`); `require.cache`
 * here is then Jest's registry, as `createRequire` inside Jest is Jest's.
 */
import { createRequire } from 'node:module';
import { bundleLinesOf, noteBundleLines } from '../bundle-lines.js';
import { noteFault } from '../faults.js';
import { HOOKED_PACKAGES } from './driver-files.js';
import {
  BUNDLED_MODULE,
  type BundledModuleHandler,
  ESBUILD_HELPER,
  hookedKeyPattern,
  keyPath,
  rewriteEsbuildBundle,
} from './esbuild-bundle.js';

interface CjsModule {
  filename: string;
  exports: unknown;
}
type Compile = (this: CjsModule, ...args: unknown[]) => unknown;
interface ModuleStatics {
  prototype: { _compile: Compile };
}

interface FileHook {
  file: RegExp;
  /** Patches the exports in place, or returns an object to export instead (a bundle's exports are getters). */
  patch: (exports: unknown, filename: string) => unknown;
}

const HOOKED = Symbol.for('culprit.module-hook');
const hooks: FileHook[] = [];
/**
 * Hooks by the package their pattern names (packageFile), and the others. A
 * server loads hundreds to thousands of CommonJS files, and about thirty hooks
 * are added when it starts to serve: testing every pattern on every file took
 * 13 ms of a real app's start (ephemera, cpu-prof); a file is now matched only
 * against its own package's hooks.
 */
const hooksByPackage = new Map<string, FileHook[]>();
const otherHooks: FileHook[] = [];
/** The package a pattern made by packageFile names. */
const patternPackage = new WeakMap<RegExp, string>();
/**
 * For `require.cache` and built-ins only, which are the same from any folder (and Jest's registry where
 * `createRequire` is Jest's): made from the root, whose path Node resolves at once. From this file's URL it
 * walked the whole path (`path.resolve`), and with a few such walks at start Node's `normalizeString` went
 * to V8's optimizing compiler in every probed or registered process (≈3 M instructions on Node 20 and 24).
 */
const require = createRequire('/');
/** Exports objects the hooks have seen (by `_compile` or a scan): a reloaded copy (jest.resetModules) is a new object. */
const handled = new WeakSet<object>();
/** Files that match no hook, so rescans skip them; cleared when a hook is added. */
const unmatched = new Set<string>();

/**
 * Calls `patch(exports)` for every CommonJS file whose path matches `file`,
 * loaded now or later; when it returns an object, that becomes the file's
 * exports (for files loaded later: a file already required was handed out).
 */
export function onCommonJsFile(file: RegExp, patch: FileHook['patch']): void {
  const hook = { file, patch };
  hooks.push(hook);
  const pkg = patternPackage.get(file);
  if (pkg === undefined) otherHooks.push(hook);
  else {
    const own = hooksByPackage.get(pkg);
    if (own) own.push(hook);
    else hooksByPackage.set(pkg, [hook]);
  }
  unmatched.clear();
  installCompileWrapper();
  const cache = require.cache;
  for (const filename of pkg === undefined ? Object.keys(cache) : (loadedByPackage().get(pkg) ?? [])) {
    const loaded = cache[filename];
    if (loaded?.loaded && file.test(filename)) {
      applyHook(hook, loaded.exports, filename);
      markHandled(loaded.exports);
    }
  }
  // handed out already: patched in place, as a file in require.cache is
  for (const [filename, module] of bundled) if (file.test(filename)) applyHook(hook, module.exports, filename);
}

/** `pg` of `…/node_modules/pg/lib/client.js`, `@redis/client` of a scoped one; undefined outside node_modules. */
export function packageOfFile(filename: string): string | undefined {
  const at = Math.max(filename.lastIndexOf('/node_modules/'), filename.lastIndexOf('\\node_modules\\'));
  if (at < 0) return undefined;
  const parts = filename.slice(at + '/node_modules/'.length).split(/[\\/]/);
  const [first, second] = parts;
  if (!first || parts.length < 2) return undefined;
  return first.startsWith('@') ? (parts.length > 2 && second ? `${first}/${second}` : undefined) : first;
}

/**
 * The loaded files by package, read from require.cache once for the hooks
 * added in one go (synchronously): dropped at the next microtask, or as soon
 * as another file compiles.
 */
let byPackage: Map<string, string[]> | undefined;
function loadedByPackage(): Map<string, string[]> {
  if (byPackage) return byPackage;
  const index = new Map<string, string[]>();
  for (const filename of Object.keys(require.cache)) {
    const pkg = packageOfFile(filename);
    if (pkg === undefined) continue;
    const files = index.get(pkg);
    if (files) files.push(filename);
    else index.set(pkg, [filename]);
  }
  byPackage = index;
  queueMicrotask(() => {
    byPackage = undefined;
  });
  return index;
}

/**
 * Patches hooked files that reached `require.cache` without passing through
 * `_compile` since the last call (a loader of its own: Jest's), and returns
 * their paths. Under plain Node it finds nothing: `_compile` saw every file.
 */
export function patchLoadedSince(): string[] {
  const found: string[] = [];
  const cache = require.cache;
  for (const filename of Object.keys(cache)) {
    if (unmatched.has(filename)) continue;
    const matching = hooks.filter((hook) => hook.file.test(filename));
    if (matching.length === 0) {
      unmatched.add(filename);
      continue;
    }
    const loaded = cache[filename];
    if (!loaded?.loaded || !isObject(loaded.exports) || handled.has(loaded.exports)) continue;
    for (const hook of matching) applyHook(hook, loaded.exports, filename);
    markHandled(loaded.exports);
    found.push(filename);
  }
  return found;
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

function markHandled(exports: unknown): void {
  if (isObject(exports)) handled.add(exports);
}

/** The file patterns hooks registered so far (hook-loading.test.ts holds them to driver-files.ts). */
export function hookedFilePatterns(): RegExp[] {
  return hooks.map((hook) => hook.file);
}

function installCompileWrapper(): void {
  const Module = require('node:module') as ModuleStatics;
  const original = Module.prototype._compile;
  if ((original as unknown as Record<symbol, unknown>)[HOOKED]) return;
  const wrapped: Compile = function (this: CjsModule, ...args: unknown[]) {
    const [content] = args;
    // one search per file: only an esbuild bundle is read further
    if (typeof content === 'string' && content.includes(ESBUILD_HELPER)) args[0] = withBundleHandOff(content, this);
    const result = original.apply(this, args);
    byPackage = undefined; // a file loaded since the index was read
    if (typeof this.filename !== 'string') return result;
    runHooks(this);
    return result;
  };
  Object.defineProperty(wrapped, HOOKED, { value: true });
  Module.prototype._compile = wrapped;
  (globalThis as Record<symbol, unknown>)[Symbol.for(BUNDLED_MODULE)] ??= onBundledModule;
}

/** The hooks of `module`'s file, the others first. */
function runHooks(module: CjsModule): void {
  // the arrays are read as they grow: a hook may load the others (hook-loading.ts), which then see this file
  for (const hook of otherHooks) hooked(hook, module);
  const pkg = packageOfFile(module.filename);
  for (const hook of (pkg !== undefined && hooksByPackage.get(pkg)) || []) hooked(hook, module);
}

/** Modules of hooked packages that ran inside a bundle, by the path their key names: hooks added later patch them. */
const bundled = new Map<string, { exports: unknown }>();
let hookedKey: RegExp | undefined;

/** An esbuild bundle's text, its modules handed to onBundledModule when they run; its lines noted for app frames. */
function withBundleHandOff(content: string, module: CjsModule): string {
  try {
    if (typeof module.filename !== 'string') return content;
    hookedKey ??= hookedKeyPattern(HOOKED_PACKAGES);
    const rewritten = rewriteEsbuildBundle(content, module.filename, hookedKey);
    if (rewritten === undefined) return content;
    noteBundleLines(module.filename, bundleLinesOf(content));
    return rewritten;
  } catch (error) {
    noteFault(`bundle ${module.filename}`, error);
    return content;
  }
}

/** Per bundle: the folder its keys are relative to (esbuild's working folder). */
const keyBases = new Map<string, string>();

/**
 * The folder `bundle`'s keys name files from: the bundle's or the nearest above it where the key's file is
 * on disk (looked for once per bundle), so hooks that read the copy's package.json find it; else the bundle's.
 */
function keyBase(bundle: string, key: string): string {
  let base = keyBases.get(bundle);
  if (base !== undefined) return base;
  const { existsSync } = process.getBuiltinModule('node:fs');
  const own = bundle.slice(0, bundle.lastIndexOf('/'));
  base = own;
  for (let dir = own; dir; dir = dir.slice(0, dir.lastIndexOf('/'))) {
    if (existsSync(keyPath(key, dir))) {
      base = dir;
      break;
    }
  }
  keyBases.set(bundle, base);
  return base;
}

/** Whether a bundle the probe compiled ran the hooked package file `filename` (a copy's files need not be on disk). */
export function ranInBundle(filename: string): boolean {
  return bundled.has(filename);
}

/**
 * A module of a bundle ran (esbuild-bundle.ts): a hooked package's file gets the hooks its `require` would,
 * under a path made of the bundle's folder and its key (for hooks that name the copy by its path).
 */
const onBundledModule: BundledModuleHandler = (key, module, bundle) => {
  try {
    if (typeof key !== 'string' || !key.includes('node_modules/')) return;
    const filename = keyPath(key, keyBase(bundle, key));
    const pkg = packageOfFile(filename);
    if (pkg === undefined || !(HOOKED_PACKAGES as readonly string[]).includes(pkg)) return;
    const cjs: CjsModule = { filename, exports: module.exports };
    runHooks(cjs);
    module.exports = cjs.exports;
    bundled.set(filename, module);
  } catch (error) {
    noteFault(`bundled ${key}`, error);
  }
};

/** Runs `hook` on a module whose file its pattern matches; exports it replaces are set (only then: some module objects' exports are getters). */
function hooked(hook: FileHook, module: CjsModule): void {
  if (!hook.file.test(module.filename)) return;
  markHandled(module.exports);
  const replaced = applyHook(hook, module.exports, module.filename);
  if (replaced !== undefined) module.exports = replaced;
  markHandled(module.exports);
}

function applyHook(hook: FileHook, exports: unknown, filename: string): unknown {
  try {
    const replaced = hook.patch(exports, filename);
    return typeof replaced === 'object' && replaced !== null ? replaced : undefined;
  } catch (error) {
    noteFault(`patch ${filename}`, error);
    return undefined;
  }
}

/** A path test for `node_modules/<pkg>/<file>`, on any platform and at any depth. */
export function packageFile(pkg: string, file: string): RegExp {
  const pattern = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, (c) => (c === '/' ? '[\\\\/]' : `\\${c}`));
  const regex = new RegExp(`[\\\\/]node_modules[\\\\/]${pattern(pkg)}[\\\\/]${pattern(file)}$`);
  patternPackage.set(regex, pkg);
  return regex;
}
