#!/usr/bin/env node
// After tsc and the probe's bundles: the CLI (dist/cli/main.js and everything it imports, the commands
// loaded on demand included) becomes one folder of bundled files, dist/cli-bundle/, which bin/culprit.js
// loads. Through Node's ES module loader the diagnose command came as 174 files, ~65 ms of a diagnose's
// CPU; bundled, about half (bench/probe/README.md). The commands stay lazy: each `import()` of the
// registry is an entry of its own, and what entries share is a chunk, so every module has one copy.
// tsc's files stay as they are: the library entries (culprit, culprit/budget, …), tests and benches
// import them.
//
// Two things keep the bundled code behaving as the files it came from:
// - `import.meta.url` is the module's own file, not the bundle's: paths built from it (package.json,
//   the probe's files, viewer-dist/) and `createRequire` resolve as before, whatever the module's depth.
// - The error module stays external, imported from its file: a CulpritError made by a library module the
//   CLI process loads from dist/ (a budget file importing culprit/budget) is the class main() knows.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';
import { asciiOnly, MODULE_URL, routeDynamicImports } from './bundle-probe-cjs.mjs';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const out = join(dist, 'cli-bundle');
/** Modules every copy of culprit in one process must share (their classes are compared with instanceof). */
const SHARED_FILES = ['errors/culprit-error.js', 'errors/catalog.js'].map((file) => join(dist, file));

/** A POSIX relative specifier from the bundle's folder to a file of dist/. */
function fromBundle(file) {
  const path = relative(out, file).split('\\').join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

/**
 * esbuild plugin: each module's `import.meta.url` is its own file's URL, made from `base`, the expression of
 * the bundle file's own URL (`import.meta.url` in an ES module chunk, the banner's in the CommonJS bundle).
 */
const ownFileUrl = (base) => ({
  name: 'own-file-url',
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, async (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta')) return undefined;
      // esbuild's define rewrites the expression, never the text of a string that spells it
      const { code } = await transform(source, {
        loader: 'js',
        format: 'esm',
        define: { 'import.meta.url': '__culpritOwnUrl' },
      });
      const own = `const __culpritOwnUrl = new URL(${JSON.stringify(fromBundle(args.path))}, ${base}).href;\n`;
      return { contents: own + code, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
});

const sharedExternal = {
  name: 'shared-external',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const path = resolve(args.resolveDir, args.path);
      return SHARED_FILES.includes(path) ? { path: fromBundle(path), external: true } : undefined;
    });
  },
};

/**
 * Packages bundled in, not imported at run time: `diff`'s array diff (two small files). Through the package's
 * `exports` pattern (`./lib/*.js`) Node's ES module resolver compiled its invalid-segment RegExp (47 KB of
 * RegExp bytecode) and read two package.json files at every diagnose: 11 M instructions of the CLI's ~750 M
 * (callgrind, Node 20).
 */
const BUNDLED_PACKAGES = /^diff\/lib\/diff\/array\.js$/;
const bundledPackages = {
  name: 'bundled-packages',
  setup(build) {
    // as Node resolves them for an import (the package's `import` condition); this script shares dist/'s node_modules
    build.onResolve({ filter: BUNDLED_PACKAGES }, (args) => ({ path: fileURLToPath(import.meta.resolve(args.path)) }));
  },
};

rmSync(out, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'dist/cli/main.js' },
  outdir: out,
  bundle: true,
  splitting: true,
  chunkNames: 'chunk-[hash]',
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  // tsc's maps are read through: a stack of the bundle maps back to src/ under --enable-source-maps
  sourcemap: true,
  plugins: [bundledPackages, sharedExternal, ownFileUrl('import.meta.url')],
});

/**
 * The same CLI as one CommonJS file, dist/cli-bundle/main.cjs, for Node 20, which has no compile cache for
 * ES modules (`module.enableCompileCache` is 22.1+): bin/culprit.js runs it through V8's code cache
 * (src/cli/cached-bundle.ts), so a command deserializes culprit's bytecode instead of compiling it at every
 * start, about a third of the CLI's own instructions before the command's work (bench/probe/README.md,
 * "diagnose, seventh pass"). Everything is in the one file: its modules still run only when the command
 * that needs them is loaded (esbuild's lazy `__esm` wrappers), and a file the cache holds is deserialized,
 * not parsed. As in the chunks, `import.meta.url` is each module's own file and the error module stays
 * external (`require` of the ES module, the one class every copy of culprit shares). What differs in a
 * `vm.Script`: `import()` goes through the wrapper's `__culpritImport`, and `import.meta.resolve` (a
 * package's `import` condition: tsx's ES module API) through the resolver the binary hands over, an ES
 * module's own, which resolves packages from culprit's folder as these modules' would.
 */
const cjsOut = join(out, 'main.cjs');
await build({
  absWorkingDir: root,
  entryPoints: ['dist/cli/main.js'],
  outfile: cjsOut,
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  define: { 'import.meta.resolve': '__culpritImportResolve', 'import.meta.url': '__culpritModuleUrl' },
  banner: {
    js: [
      MODULE_URL,
      'const __culpritImportResolve = (specifier) => {',
      '  const resolve = globalThis[Symbol.for("culprit.cli.importResolve")];',
      '  if (typeof resolve !== "function") throw new Error("culprit: main.cjs runs from bin/culprit.js, which resolves imports");',
      '  return resolve(specifier);',
      '};',
    ].join('\n'),
  },
  plugins: [bundledPackages, sharedExternal, ownFileUrl('__culpritModuleUrl')],
});
writeFileSync(cjsOut, routeDynamicImports(asciiOnly(readFileSync(cjsOut, 'utf8'))));
