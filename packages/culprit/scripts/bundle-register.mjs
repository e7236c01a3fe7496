#!/usr/bin/env node
// After tsc: culprit/register (dist/register/index.js and the wiring it imports, start.js) becomes a few
// bundled files. An app preloaded with culprit/register loaded ~60 of culprit's modules at start-up, one by
// one through Node's ES module loader: ~40 ms of a trivial server's ~100 ms start
// (bench/register/overhead.mjs). What an app may never need stays out of start.js: the driver and Redis
// hooks are entries of their own, required beside hook-loading's chunk when the first driver file loads
// (hook-loading.ts resolves './query-hooks.js', './remote/index.js' and './queries/module-hook.js' from its
// own file), and modules shared between entries are chunks in this folder, so every entry sees one copy of
// their state. Packages stay external (none is on this path today); the export worker stays its own file
// (started later, on its own thread), found beside the bundle's folder as before.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { asciiOnly, buildTwin, MODULE_URL, plainExports } from './bundle-probe-cjs.mjs';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'dist/register');
// chunks of an earlier build (their names are content hashes)
for (const name of readdirSync(out)) if (/^chunk-.*\.c?js$/.test(name)) rmSync(join(out, name));

const hookEntries = ['query-hooks', 'remote/index', 'queries/module-hook'];
/**
 * scope-record.js's entry. esbuild puts each module in a chunk by the set of entries that reach it: scope-record
 * reaching faults.js and request-context.js but not the driver files' modules split start's shared chunks into
 * five files (two more to load at every start, ≈1 M instructions). So its entry also imports those modules
 * (loaded by then: start requires them), which keeps start's chunks as they were.
 */
const LAZY_RECORD = 'culprit-entry:scope-record';
const lazyRecordEntry = {
  name: 'lazy-record-entry',
  setup(bundler) {
    bundler.onResolve({ filter: /^culprit-entry:/ }, (args) => ({ path: args.path, namespace: 'culprit-entry' }));
    bundler.onLoad({ filter: /.*/, namespace: 'culprit-entry' }, () => ({
      contents: [
        "export { scopeRecord } from './register/scope-record.js';",
        "import './probe/queries/module-hook.js';",
        "import './probe/queries/esm-hook.js';",
        "import './probe/composed-stacks.js';",
        "import './probe/queries/driver-files.js';",
      ].join('\n'),
      resolveDir: join(root, 'dist'),
      loader: 'js',
    }));
  },
};
const result = await build({
  absWorkingDir: root,
  entryPoints: {
    index: 'dist/register/index.js',
    start: 'dist/register/start.js',
    // loaded at the first sampled request's end (start.ts `recordsOnDemand`), beside start.js
    'scope-record': LAZY_RECORD,
    ...Object.fromEntries(hookEntries.map((name) => [name, `dist/probe/${name}.js`])),
  },
  outdir: out,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  chunkNames: 'chunk-[hash]',
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  metafile: true,
  plugins: [lazyRecordEntry],
});
// tsc's maps describe the unbundled entries
for (const name of ['index', 'start', 'require']) rmSync(join(out, `${name}.js.map`), { force: true });

// hook-loading.ts must sit in this folder's root (a chunk or start.js) for its relative requires to land
const hookLoader = Object.entries(result.metafile.outputs).find(([, output]) =>
  Object.keys(output.inputs).some((input) => input.endsWith('dist/probe/hook-loading.js')),
);
const missing = hookEntries.filter((name) => !existsSync(join(out, `${name}.js`)));
if (hookLoader?.[0].split('/').length !== 3 || missing.length > 0) {
  console.error(`bundle-register: hook-loading at ${hookLoader?.[0]}, missing entries: ${missing.join(', ')}`);
  process.exit(1);
}

// `--require culprit/register` (package.json's `require` condition): every file but index.js (the ES module
// entry, whose top-level await CommonJS cannot hold) gets a CommonJS twin (bundle-probe-cjs.mjs), and
// require.cjs, the CommonJS entry, is one file of its own: its few modules copied in (the registration is
// kept on a global, activation.ts), so index.js stays one file for `--import`. On Node 20 that leaves a
// CommonJS app without an ES module loader.
const outputs = Object.keys(result.metafile.outputs)
  .filter((file) => file.endsWith('.js'))
  .map((file) => join(root, file));
const owned = new Set(outputs);
for (const file of outputs) if (!file.endsWith('/dist/register/index.js')) await buildTwin(root, out, owned, file);
const requireEntry = join(out, 'require.cjs');
await build({
  absWorkingDir: root,
  entryPoints: ['dist/register/require.js'],
  outfile: requireEntry,
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  define: { 'import.meta.url': '__culpritModuleUrl' },
  banner: { js: MODULE_URL },
});
writeFileSync(requireEntry, asciiOnly(plainExports(readFileSync(requireEntry, 'utf8'), requireEntry)));
rmSync(join(out, 'require.js.map'), { force: true });
if (readFileSync(join(out, 'start.js'), 'utf8').includes('// dist/probe/query-records.js\n')) {
  console.error(
    'bundle-register: start.js bundles query-records.js, which only scope-record.js (loaded on demand) needs',
  );
  process.exit(1);
}
if (!existsSync(join(out, 'start.cjs'))) {
  console.error('bundle-register: start.cjs, the CommonJS twin require.cjs loads, is missing');
  process.exit(1);
}
