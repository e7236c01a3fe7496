/**
 * Module mode's `--import` after tsx: TypeScript files that use decorators
 * under `emitDecoratorMetadata` are compiled by the app's TypeScript
 * (ts-metadata.ts), through a load hook after tsx's (ts-metadata-hooks.ts:
 * in-thread where Node has `module.registerHooks`, else in the loader thread)
 * and, for CommonJS the hook did not rewrite, through
 * `Module.prototype._compile`, which tsx calls with its own output.
 */
import * as nodeModule from 'node:module';
import { noteFault } from '../faults.js';
import { compileWithMetadata, TS_FILE } from './ts-metadata.js';
import { compiledByHook, type LoadResult, loadSync } from './ts-metadata-hooks.js';

type Compile = (this: unknown, content: unknown, filename: unknown, ...rest: unknown[]) => unknown;
type SyncLoad = (url: string, context: object, nextLoad: (url: string, context: object) => LoadResult) => LoadResult;
const api = nodeModule as unknown as {
  registerHooks?: (hooks: { load: SyncLoad }) => unknown;
  register: (specifier: string, parentUrl: string) => void;
};
const Module = nodeModule.createRequire(import.meta.url)('node:module') as { prototype: { _compile: Compile } };
const original = Module.prototype._compile;

Module.prototype._compile = function culpritCompile(this: unknown, content, filename, ...rest) {
  let source = content;
  if (typeof filename === 'string' && TS_FILE.test(filename) && !compiledByHook.has(filename)) {
    try {
      source = compileWithMetadata(filename, 'commonjs') ?? content;
    } catch (error) {
      // TypeScript could not compile it: tsx's output stands
      noteFault(`decorator metadata for ${filename}`, error);
    }
  }
  return original.call(this, source, filename, ...rest);
};

// in-thread hooks run before off-thread ones and reach them through nextLoad: tsx's output either way
if (typeof api.registerHooks === 'function') api.registerHooks({ load: loadSync });
else api.register('./ts-metadata-hooks.js', import.meta.url);
