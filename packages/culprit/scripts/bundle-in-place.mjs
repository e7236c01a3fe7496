// One built ES module (and what it imports of culprit's own files) rewritten
// in place as a single file: each file costs Node's ES module loader at the
// start of every process that loads it (bundle-probe.mjs, bundle-register.mjs).
// Packages stay external; tsc's source map of the entry is dropped, since it
// describes the unbundled file.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { build } from 'esbuild';

/** What every culprit bundle is: Node's ES modules, packages left to Node's resolution. */
export const BUNDLE_OPTIONS = {
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
};

/**
 * esbuild plugin: `import()` stays lazy (external), and only from modules in `folder`, the bundle's own
 * folder, where its relative path still resolves once bundled; `label` names the script in the error.
 */
export function lazyImportsFrom(folder, label) {
  return {
    name: 'lazy-imports',
    setup(bundler) {
      bundler.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        if (dirname(args.importer) !== folder) {
          return {
            errors: [{ text: `${label}: import(${args.path}) in ${args.importer} would resolve from ${folder}` }],
          };
        }
        return { external: true };
      });
    },
  };
}

/** Bundles `entry` over itself; `options` adds esbuild options (plugins, metafile). Returns esbuild's result. */
export async function bundleInPlace(entry, options = {}) {
  const result = await build({
    entryPoints: [entry],
    outfile: entry,
    allowOverwrite: true,
    ...BUNDLE_OPTIONS,
    ...options,
  });
  rmSync(`${entry}.map`, { force: true });
  return result;
}
