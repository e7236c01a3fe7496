/**
 * Drivers inside an esbuild bundle. `esbuild --bundle` (and tsup with
 * `noExternal`) puts each CommonJS file of node_modules inside the bundle,
 * wrapped by its `__commonJS` helper and keyed by its path
 * (`__commonJS({ "node_modules/pg/lib/client.js"(exports, module) { … } })`):
 * the driver's files never load, so `_compile` (module-hook.ts) never sees
 * them. The helper's definition is rewritten as the bundle compiles, on its
 * own line (no position elsewhere moves, so the bundle's source map still
 * holds), so that each wrapped module, after its first evaluation, hands its
 * path key and module object to the probe, which runs the hooks it runs for a
 * `require` of that file. Only non-minified CommonJS output names its
 * modules: a minified bundle (`__commonJSMin`, no keys) and ES module output
 * (`__esm`, modules inlined) are left as they are.
 *
 * Pure text work: no node:* import, nothing runs here at a module's load.
 */

/** What a compiled file must hold to be looked at further: esbuild's helper definition. */
export const ESBUILD_HELPER = '\nvar __commonJS = (';

/** The helper's first line, as esbuild 0.14 to 0.28 write it (`cb`, `mod` and `__require` by name). */
const HELPER_LINE = /^var __commonJS = \((\w+), (\w+)\) => function (\w+)\(\) \{$/m;

/** Where the rewritten helper finds the probe: `(pathKey, module, bundleFile)`. */
export const BUNDLED_MODULE = 'culprit.bundledModule';

/** Receives a wrapped module once its body ran: its key (`node_modules/pg/lib/client.js`) and `{ exports }`. */
export type BundledModuleHandler = (key: string, module: { exports: unknown }, bundle: string) => void;

/** A pattern for a module key of one of `packages` (`"../node_modules/pg/lib/client.js"(`). */
export function hookedKeyPattern(packages: readonly string[]): RegExp {
  const names = packages.map((pkg) => pkg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`"(?:[^"\\n]*/)?node_modules/(?:${names.join('|')})/[^"\\n]*"\\(`);
}

/**
 * `source` with esbuild's `__commonJS` helper handing each module to the probe after its first evaluation,
 * or undefined when `source` is no such bundle or wraps no module `hookedKey` matches.
 */
export function rewriteEsbuildBundle(source: string, bundle: string, hookedKey: RegExp): string | undefined {
  const helper = HELPER_LINE.exec(source);
  if (!helper || !hookedKey.test(source)) return undefined;
  const [line, cb, mod, require] = helper as unknown as [string, string, string, string];
  // `running` marks the first evaluation while it runs: a circular require inside it gets the partial exports,
  // as from the original; a body that threw (esbuild 0.25+ resets `mod`) is handed off when it runs again
  const running = '__culpritRunning';
  const handOff =
    `if (${running} !== 1 && !${mod}) { ${running} = 1; try { ${require}(); } finally { ${running} = 0; } ` +
    `globalThis[Symbol.for(${JSON.stringify(BUNDLED_MODULE)})]?.(Object.getOwnPropertyNames(${cb})[0], ${mod}, ` +
    `${JSON.stringify(bundle)}); return ${mod}.exports; }`;
  const rewritten = `var __commonJS = (${cb}, ${mod}, ${running}) => function ${require}() { ${handOff}`;
  return source.slice(0, helper.index) + rewritten + source.slice(helper.index + line.length);
}

/** A module key as a path: relative keys (`../../node_modules/pg/lib/client.js`) resolved from `base`. */
export function keyPath(key: string, base: string): string {
  const parts = base.split('/');
  for (const part of key.split('/')) {
    if (part === '..') {
      if (parts.length > 1) parts.pop();
    } else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/') || '/';
}
