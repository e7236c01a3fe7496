/**
 * The CLI's CommonJS bundle (dist/cli-bundle/main.cjs, scripts/bundle-cli.mjs) run through V8's code cache,
 * for Node 20: it has no compile cache for ES modules (`module.enableCompileCache` is 22.1+, compile-cache.ts),
 * and compiling culprit's own code was about a third of the CLI's instructions before a command's work
 * (`culprit diagnose --help` 282 M, of which ≈90 M compiling; bench/probe/README.md, "diagnose, seventh pass").
 *
 * The folder and its rule are the probe's (probe/code-cache.ts): CULPRIT_CODE_CACHE or
 * `<tmpdir>/culprit-code-cache-<uid>`, used only when it is a real folder of this user that no one else may
 * write, since code read from it runs here. An entry is named by the Node version, the bundle's path, size
 * and mtime, and the command line's shape (its command, and whether it asks for help): each entry holds the
 * functions such a command compiled (V8 caches what ran by the time the data is made), so `culprit diagnose
 * --help` run first does not leave every later diagnose to compile its analysis lazily. V8 rejects data made
 * by another V8, under other flags or for another source. A missing or rejected entry is made at exit, when
 * the command's code has all run, and only after a command that ran to its end (exit status 0 or 1, not a
 * usage error or Ctrl-C); it is written to a new file and renamed into place.
 */
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { entryName } from '../probe/code-cache.js';
import { trustedCacheFolder } from './cache-folder.js';

// as Node's CommonJS wrapper, plus the `import()` of a vm.Script, which has no module loader of its own
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname, __culpritImport) { ';
const WRAPPER_TAIL = '\n})';
/** Where main.cjs finds `import.meta.resolve` (scripts/bundle-cli.mjs's banner). */
const IMPORT_RESOLVE = Symbol.for('culprit.cli.importResolve');

type Wrapped = (
  exports: unknown,
  require: NodeJS.Require,
  module: { exports: unknown },
  filename: string,
  dirname: string,
  dynamicImport: (specifier: string) => Promise<unknown>,
) => void;

/** The cache entry of a command line: its command (a name of letters; anything else shares one) and help. */
export function commandEntry(file: string, argv: readonly string[]): string {
  const stat = statSync(file);
  const [command] = argv;
  const name = command !== undefined && /^[a-z][a-z-]{0,30}$/.test(command) ? command : 'other';
  const help = argv.some((arg) => arg === '--help' || arg === '-h') ? '-help' : '';
  return entryName(`${file}.${name}${help}`, stat.size, stat.mtimeMs, process.version);
}

/** Exit statuses of a command that ran to its end: its code then all ran, and is worth caching. */
const RAN_TO_END = new Set([0, 1]);

function readEntry(path: string | undefined): Buffer | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path);
  } catch {
    return undefined; // not made yet
  }
}

function writeEntry(path: string, script: Script): void {
  const partial = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
    renameSync(partial, path);
  } catch {
    rmSync(partial, { force: true }); // a full disk or a read-only folder leaves the next start as it was
  }
}

export interface CachedBundleOptions {
  /** The command line (without node and the binary), which names the cache entry. */
  argv: readonly string[];
  /** An ES module's `import.meta.resolve` (culprit's own folder): the bundle's `import.meta.resolve`. */
  importResolve: (specifier: string) => string;
  env?: NodeJS.ProcessEnv;
}

/** Runs the CommonJS bundle at `url` as Node's loader would, its bytecode from the cache where it holds it. */
export function requireCachedBundle(url: URL, options: CachedBundleOptions): unknown {
  const file = fileURLToPath(url);
  (globalThis as Record<symbol, unknown>)[IMPORT_RESOLVE] = options.importResolve;
  const folder = trustedCacheFolder(options.env);
  const entry = folder === undefined ? undefined : `${folder}/${commandEntry(file, options.argv)}`;
  const cachedData = readEntry(entry);
  // the bundle is ASCII (bundle-cli.mjs `asciiOnly`): Latin-1 copies its bytes, UTF-8 would decode them
  const source = readFileSync(file, 'latin1');
  const script = new Script(`${WRAPPER_HEAD}${source}${WRAPPER_TAIL}`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  if (entry !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
    process.once('exit', (code) => {
      if (RAN_TO_END.has(code)) writeEntry(entry, script);
    });
  }
  const module = { exports: {} as unknown };
  const dynamicImport = (specifier: string): Promise<unknown> =>
    import(/^\.\.?\//.test(specifier) ? new URL(specifier, url).href : specifier);
  const wrapped = script.runInThisContext() as Wrapped;
  wrapped(
    module.exports,
    nodeModule.createRequire(file),
    module,
    file,
    fileURLToPath(new URL('.', url)),
    dynamicImport,
  );
  return module.exports;
}
