// One built ES module (and what it imports of culprit's own files) rewritten
// in place as a single file: each file costs Node's ES module loader at the
// start of every process that loads it (bundle-probe.mjs, bundle-register.mjs).
// Packages stay external; tsc's source map of the entry is dropped, since it
// describes the unbundled file.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

/** Bundles `entry` over itself; `options` adds esbuild options (plugins, metafile). Returns esbuild's result. */
export async function bundleInPlace(entry, options = {}) {
  const result = await build({
    entryPoints: [entry],
    outfile: entry,
    allowOverwrite: true,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    ...options,
  });
  rmSync(`${entry}.map`, { force: true });
  return result;
}
