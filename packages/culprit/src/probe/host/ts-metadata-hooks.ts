/**
 * The module-loader half of ts-metadata.ts: a load hook after tsx's that gives
 * a TypeScript file using decorators TypeScript's output (with metadata)
 * instead of tsx's. `loadSync` runs in-thread (`module.registerHooks`, Node
 * 22.15+), `load` in Node 20's loader thread (`module.register`).
 *
 * Both formats are rewritten when tsx handed over source: an ES module, and
 * on Node 22.15+/24 also CommonJS, because tsx (4.23+ on Node 22.22.3+ and
 * 24.11.1+) loads `.ts` through in-thread hooks, and Node 24 compiles a
 * CommonJS source from a hook itself (`compileFunctionForCJSLoader`), never
 * calling `Module.prototype._compile`, where ts-metadata-register.ts catches
 * the rest. A CommonJS result without source (Node 20) is left to that wrapper.
 */
import { fileURLToPath } from 'node:url';
import { compileWithMetadata, type OutputFormat, TS_FILE } from './ts-metadata.js';

export interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | ArrayBufferView | null;
  shortCircuit?: boolean;
}
type NextLoad = (url: string, context: object) => Promise<LoadResult>;
type NextLoadSync = (url: string, context: object) => LoadResult;

/** Loader formats whose source is replaced, and the output each gets. */
const OUTPUT: Record<string, OutputFormat> = { module: 'module', commonjs: 'commonjs' };

/** Files whose CommonJS output this hook already gave (the `_compile` wrapper leaves them alone). */
export const compiledByHook = new Set<string>();

/** The TypeScript output for `url` when it should replace tsx's `result`, else undefined. */
export function rewrite(url: string, result: LoadResult): LoadResult | undefined {
  const output = result.format ? OUTPUT[result.format] : undefined;
  if (!output || result.source === null || result.source === undefined || !url.startsWith('file:')) return undefined;
  const file = fileURLToPath(url);
  if (!TS_FILE.test(file)) return undefined;
  try {
    const source = compileWithMetadata(file, output);
    if (source === undefined) return undefined;
    if (output === 'commonjs') compiledByHook.add(file);
    return { ...result, source };
  } catch {
    // a file TypeScript cannot compile: tsx's output (and its error, if any) stands
    return undefined;
  }
}

export function loadSync(url: string, context: object, nextLoad: NextLoadSync): LoadResult {
  const result = nextLoad(url, context);
  return rewrite(url, result) ?? result;
}

export async function load(url: string, context: object, nextLoad: NextLoad): Promise<LoadResult> {
  const result = await nextLoad(url, context);
  // off-thread (Node 20), CommonJS stays with the `_compile` wrapper: only ES modules are rewritten here
  if (result.format !== 'module') return result;
  return rewrite(url, result) ?? result;
}
