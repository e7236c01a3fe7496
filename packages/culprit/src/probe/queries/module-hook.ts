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
 */
import { createRequire } from 'node:module';
import { noteFault } from '../faults.js';

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
  patch: (exports: unknown, filename: string) => void;
}

const HOOKED = Symbol.for('culprit.module-hook');
const hooks: FileHook[] = [];
const require = createRequire(import.meta.url);

/** Calls `patch(exports)` for every CommonJS file whose path matches `file`, loaded now or later. */
export function onCommonJsFile(file: RegExp, patch: FileHook['patch']): void {
  const hook = { file, patch };
  hooks.push(hook);
  installCompileWrapper();
  for (const [filename, loaded] of Object.entries(require.cache)) {
    if (loaded?.loaded && file.test(filename)) applyHook(hook, loaded.exports, filename);
  }
}

function installCompileWrapper(): void {
  const Module = require('node:module') as ModuleStatics;
  const original = Module.prototype._compile;
  if ((original as unknown as Record<symbol, unknown>)[HOOKED]) return;
  const wrapped: Compile = function (this: CjsModule, ...args: unknown[]) {
    const result = original.apply(this, args);
    for (const hook of hooks) {
      if (typeof this.filename === 'string' && hook.file.test(this.filename)) {
        applyHook(hook, this.exports, this.filename);
      }
    }
    return result;
  };
  Object.defineProperty(wrapped, HOOKED, { value: true });
  Module.prototype._compile = wrapped;
}

function applyHook(hook: FileHook, exports: unknown, filename: string): void {
  try {
    hook.patch(exports, filename);
  } catch (error) {
    noteFault(`patch ${filename}`, error);
  }
}

/** A path test for `node_modules/<pkg>/<file>`, on any platform and at any depth. */
export function packageFile(pkg: string, file: string): RegExp {
  const pattern = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, (c) => (c === '/' ? '[\\\\/]' : `\\${c}`));
  return new RegExp(`[\\\\/]node_modules[\\\\/]${pattern(pkg)}[\\\\/]${pattern(file)}$`);
}
