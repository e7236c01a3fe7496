/**
 * V8's code cache for culprit's own CommonJS bundles (the probe's start.cjs and serve.cjs, register's
 * start.cjs and its chunks), so a process that loads them deserializes their bytecode instead of parsing
 * and compiling them again. Compiling those files was about half of what the probe and culprit/register
 * add to a process's start (bench/probe/README.md, "Start-up, eighth pass"). The build points the
 * entries' `require`s of those files here (scripts/bundle-probe-cjs.mjs `cachedEntry`); each file is
 * compiled as Node's CommonJS loader would (the same wrapper and module object, put in `require.cache`
 * under its path, so every later `require` of it gets this copy), but through `vm.Script`, which takes
 * and makes cached data. Only culprit's files: never `module.enableCompileCache()`, which would turn the
 * cache on for every module the app compiles afterwards.
 *
 * Where the cache lives, and why that is safe: CULPRIT_CODE_CACHE names a folder (off when empty, `0`
 * or `off`); by default `<tmpdir>/culprit-code-cache-<uid>` on POSIX systems (none on Windows). Code
 * read from there runs in the app, so the folder is used only when it is a real folder (not a link)
 * owned by this process's user that no one else may write (mode 0700, made so when this creates it);
 * otherwise nothing is read or written. NODE_DISABLE_COMPILE_CACHE (Node's own switch) turns it off
 * too. A cache entry is named by the Node version, the file's path, size and mtime, and V8 rejects
 * data made by another V8, under other flags or for a source of another length; a rejected or missing entry is
 * made again once the file's code ran (one second later, or at exit), written to a new file and
 * renamed into place, so processes starting together never read half a file.
 */
/** Where the cache is read and written, from the environment; undefined when it is off. */
export function cacheFolder(env: NodeJS.ProcessEnv, uid: number | undefined): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const chosen = env.CULPRIT_CODE_CACHE;
  if (chosen !== undefined) return ['', '0', 'off', 'false'].includes(chosen.trim()) ? undefined : chosen;
  if (uid === undefined) return undefined;
  const tmp = (env.TMPDIR || env.TMP || env.TEMP || '/tmp').replace(/(.)\/+$/, '$1');
  return `${tmp}/culprit-code-cache-${uid}`;
}

/** A folder's state as lstat tells it. */
export interface FolderStat {
  isDirectory: boolean;
  isSymbolicLink: boolean;
  uid: number;
  mode: number;
}

/** Whether code read from a folder can be trusted: a real folder of this user that no one else may write. */
export function isPrivateFolder(stat: FolderStat, uid: number | undefined): boolean {
  return (
    stat.isDirectory && !stat.isSymbolicLink && (uid === undefined || stat.uid === uid) && (stat.mode & 0o022) === 0
  );
}

/** FNV-1a, 32 bits: a short stable name for a cache entry (collisions are caught by V8's own check). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * The cache entry's file name for one version of one file under one Node. Not its flags: V8 rejects data
 * made under other flags (the entry is then made again), and a name per command line would leave an
 * entry behind for every `node -e` of a tree.
 */
export function entryName(file: string, size: number, mtimeMs: number, node: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return `${base}-${fnv1a([node, process.arch, file, size, mtimeMs].join('\0'))}.v8`;
}

type Fs = typeof import('node:fs');
type Vm = typeof import('node:vm');
/** Node's CommonJS Module class, the parts used here (not in @types/node's public surface). */
interface ModuleClass {
  new (id: string, parent?: unknown): LoadedModule;
  _cache: Record<string, LoadedModule | undefined>;
  _nodeModulePaths(dir: string): string[];
  createRequire(file: string): NodeJS.Require;
}
interface LoadedModule {
  exports: unknown;
  filename: string;
  paths: string[];
  loaded: boolean;
}
type Wrapped = (
  exports: unknown,
  require: NodeJS.Require,
  module: LoadedModule,
  filename: string,
  dirname: string,
  dynamicImport: (specifier: string) => Promise<unknown>,
) => void;

// the bundles' `import()` calls go through this parameter (a vm.Script has no module loader of its own)
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname, __culpritImport) { ';
const WRAPPER_TAIL = '\n})';
const WRITE_AFTER_MS = 1000;
/** Where the loader is kept for the files the bundles require by path (hook-loading.ts reads it). */
const CACHED_LOAD = Symbol.for('culprit.codeCache.load');

const fileUrl = (path: string): string => `file://${encodeURI(path).replace(/[?#]/g, encodeURIComponent)}`;

/** The cache of this process: its folder, checked once, and the entries to write. */
class CodeCache {
  private readonly pending = new Map<string, InstanceType<Vm['Script']>>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private exitHooked = false;

  constructor(
    private readonly folder: string,
    private readonly fs: Fs,
  ) {}

  read(path: string): Buffer | undefined {
    try {
      return this.fs.readFileSync(`${this.folder}/${path}`);
    } catch {
      return undefined; // not made yet
    }
  }

  /**
   * Writes `script`'s cached data under `name` once its code ran a while, or at exit: a file loaded late
   * (the server side as the app listens, the driver hooks) gets its own second.
   */
  later(name: string, script: InstanceType<Vm['Script']>): void {
    this.pending.set(name, script);
    if (!this.exitHooked) {
      this.exitHooked = true;
      process.once('exit', () => this.writePending());
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.writePending();
    }, WRITE_AFTER_MS).unref();
  }

  private writePending(): void {
    for (const [name, script] of this.pending) {
      const target = `${this.folder}/${name}`;
      const partial = `${target}.${process.pid}.tmp`;
      try {
        this.fs.writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
        this.fs.renameSync(partial, target);
      } catch {
        // a cache is an optimization: a full disk or a read-only folder leaves the next start as it was
        this.fs.rm(partial, { force: true }, () => undefined);
      }
    }
    this.pending.clear();
  }
}

/** The cache, or undefined when it is off or its folder cannot be trusted. */
function openCache(fs: Fs): CodeCache | undefined {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const folder = cacheFolder(process.env, uid);
  if (folder === undefined) return undefined;
  try {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    const stat = fs.lstatSync(folder);
    const folderStat = {
      isDirectory: stat.isDirectory(),
      isSymbolicLink: stat.isSymbolicLink(),
      uid: stat.uid,
      mode: stat.mode,
    };
    return isPrivateFolder(folderStat, uid) ? new CodeCache(folder, fs) : undefined;
  } catch {
    return undefined;
  }
}

/** A relative `require` of one of culprit's CommonJS files: loaded through the cache. */
const OWN_TWIN = /^\.\.?\/.*\.cjs$/;

/**
 * A `require` for a bundle entry (`entryFile`, its own `require`): culprit's `.cjs` files it names by a
 * relative path load through the code cache (and so do theirs), everything else as `require` loads it.
 * Where the cache is off it is that `require`.
 */
export function cachedRequire(entryFile: string, entryRequire: (id: string) => unknown): (id: string) => unknown {
  const fs = process.getBuiltinModule('node:fs');
  const cache = openCache(fs);
  if (cache === undefined) return entryRequire;
  const vm = process.getBuiltinModule('node:vm');
  const Module = process.getBuiltinModule('node:module') as unknown as ModuleClass;
  const dirOf = (file: string): string => file.slice(0, file.lastIndexOf('/'));

  const requireFrom = (file: string, fallback: (id: string) => unknown): ((id: string) => unknown) => {
    const resolved = (id: string): string => new URL(id, fileUrl(file)).pathname;
    return (id: string) => (OWN_TWIN.test(id) ? load(decodeURIComponent(resolved(id))) : fallback(id));
  };

  /**
   * The `require` a cached file runs with. Node's own (`createRequire`) is made at its first package
   * `require`, and built-ins come from `process.getBuiltinModule`: each `createRequire` and module path
   * list resolves the file's path, and a few more of those at start tipped Node's `normalizeString` into
   * V8's optimizing compiler (+1.5 M instructions in every probed process).
   */
  const requireFor = (file: string): NodeJS.Require => {
    let own: NodeJS.Require | undefined;
    const ownRequire = (): NodeJS.Require => {
      own ??= Module.createRequire(file);
      return own;
    };
    const fallback = (id: string): unknown =>
      id.startsWith('node:') ? (process.getBuiltinModule as (name: string) => unknown)(id) : ownRequire()(id);
    const moduleRequire = requireFrom(file, fallback) as NodeJS.Require;
    for (const key of ['resolve', 'cache', 'main', 'extensions'] as const) {
      Object.defineProperty(moduleRequire, key, { get: () => ownRequire()[key], enumerable: true });
    }
    return moduleRequire;
  };

  function load(file: string): unknown {
    const known = Module._cache[file];
    if (known) return known.exports;
    const stat = fs.statSync(file);
    // culprit's twins are ASCII (scripts/bundle-probe-cjs.mjs `asciiOnly`): Latin-1 is then the same text, copied
    // byte for byte, where UTF-8 decoding took ≈2 M instructions for serve.cjs's 111 KB at the listen
    const source = fs.readFileSync(file, 'latin1');
    const name = entryName(file, stat.size, stat.mtimeMs, process.version);
    const cachedData = cache?.read(name);
    const script = new vm.Script(`${WRAPPER_HEAD}${source}${WRAPPER_TAIL}`, { filename: file, cachedData });
    if (cachedData === undefined || script.cachedDataRejected) cache?.later(name, script);
    const module = new Module(file);
    module.filename = file;
    let paths: string[] | undefined;
    Object.defineProperty(module, 'paths', {
      get: () => {
        paths ??= Module._nodeModulePaths(dirOf(file));
        return paths;
      },
      set: (value: string[]) => {
        paths = value;
      },
      enumerable: true,
    });
    Module._cache[file] = module;
    const url = fileUrl(file);
    const dynamicImport = (specifier: string): Promise<unknown> =>
      import(/^\.\.?\//.test(specifier) ? new URL(specifier, url).href : specifier);
    try {
      const wrapped = script.runInThisContext() as Wrapped;
      wrapped.call(module.exports, module.exports, requireFor(file), module, file, dirOf(file), dynamicImport);
    } catch (error) {
      delete Module._cache[file];
      throw error;
    }
    module.loaded = true;
    return module.exports;
  }

  // an entry is not a `/`-rooted path on Windows, where the cache is off unless asked for: load as usual there
  if (!entryFile.startsWith('/')) return entryRequire;
  // for files the bundles load by their own createRequire (the driver hooks, hook-loading.ts)
  (globalThis as Record<symbol, unknown>)[CACHED_LOAD] ??= load;
  return requireFrom(entryFile, entryRequire);
}
