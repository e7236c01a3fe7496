// After start.js (bundle-probe.mjs): the probe's server side, what loads once a process turns out to be the
// server (serve.js: link, control methods, recorder, socket counter; the driver and Redis hooks the
// recorder loads with it), becomes one bundled file, dist/probe/serve.js. A probed server loaded some 70
// modules one by one through Node's ES module loader after it listened (bench/probe/idle.mjs). The built
// file of each module bundled into serve.js becomes a re-export of it, so a module loaded later (a hook
// `require`d as a driver file loads, culprit/otel's or the module host's imports) reaches the bundle's one copy of
// its state. Modules export clashing names (every driver hook has `install`), so the bundle exports each
// module's names under an alias (`m12$install`) and its file renames them back. Modules of start.js stay
// there: the bundle imports them from start.js, never a second copy.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS, bundleInPlace, lazyImportsFrom } from './bundle-in-place.mjs';

// what serve.js loads with it: the hooks come by import() in hook-loading.ts (start.js), which would
// otherwise load their ~25 files one by one
const sideEntries = ['query-hooks.js', 'remote/index.js'];
// Modules the CLI (dist/index.js) imports keep their own file, so the CLI does not load the server side
// for them: stateless ones are copied into the bundle, one with state (normalize-sql's memo) is imported
// by it from its file, so one copy serves the whole process.
const copied = ['handshake.js', 'protocol.js', 'class-at.js'];
const shared = ['queries/normalize-sql.js'];

/**
 * esbuild plugin: modules of start.js resolve to start.js itself and the shared ones to their own files
 * (external, from serve.js's folder), so the bundle holds no second copy of either.
 */
function externals(probe, startMembers) {
  const sharedFiles = new Set(shared.map((file) => resolve(probe, file)));
  return {
    name: 'serve-externals',
    setup(bundler) {
      bundler.onResolve({ filter: /^\./ }, (args) => {
        const file = resolve(args.resolveDir, args.path);
        if (startMembers.has(file)) return { path: './start.js', external: true };
        if (sharedFiles.has(file)) return { path: `./${relative(probe, file)}`, external: true };
        return undefined;
      });
    },
  };
}

/** Each module's export names, as bundled (an `export *` counts the names it passes on). */
async function exportsOf(root, files, plugins) {
  const result = await build({
    ...BUNDLE_OPTIONS,
    absWorkingDir: root,
    entryPoints: files,
    outdir: resolve(root, '.bundle-probe-serve'),
    write: false,
    metafile: true,
    plugins,
  });
  const names = new Map();
  for (const output of Object.values(result.metafile.outputs)) {
    if (output.entryPoint) names.set(resolve(root, output.entryPoint), output.exports);
  }
  return names;
}

/**
 * Bundles dist/probe/serve.js and the modules it and the hook entries import (not those of start.js,
 * `startMembers`: absolute paths) over serve.js; returns the paths of the modules turned into re-exports.
 */
export async function bundleServeSide(root, startMembers) {
  const probe = resolve(root, 'dist/probe');
  const entry = resolve(probe, 'serve.js');
  const plugins = [externals(probe, startMembers), lazyImportsFrom(probe, 'bundle-probe-serve')];
  const own = new Set(copied.map((file) => resolve(probe, file)));

  // which modules the server side is made of
  const graph = await build({
    ...BUNDLE_OPTIONS,
    absWorkingDir: root,
    entryPoints: [entry, ...sideEntries.map((file) => resolve(probe, file))],
    outdir: resolve(root, '.bundle-probe-serve'),
    write: false,
    metafile: true,
    plugins,
  });
  const members = Object.keys(graph.metafile.inputs)
    .map((input) => resolve(root, input))
    // culprit's modules outside the probe (own-code.js, watch/fold-path.js: constants and pure functions)
    // keep their files for the CLI, the bundle a copy
    .filter((file) => file !== entry && !own.has(file) && file.startsWith(`${probe}/`));
  const names = await exportsOf(root, members, plugins);

  const aliasOf = (index, name) => `m${index}$${name}`;
  const lines = [`export * from './serve.js';`];
  members.forEach((file, index) => {
    const exported = names.get(file) ?? [];
    const path = `./${relative(probe, file)}`;
    if (exported.length === 0) lines.push(`import '${path}';`);
    else
      lines.push(
        `export { ${exported.map((name) => `${name} as ${aliasOf(index, name)}`).join(', ')} } from '${path}';`,
      );
  });

  const source = readFileSync(entry, 'utf8'); // the unbundled serve.js: the entry below imports it
  await bundleInPlace(entry, {
    absWorkingDir: root,
    entryPoints: undefined,
    stdin: { contents: lines.join('\n'), resolveDir: probe, sourcefile: 'serve-side.js', loader: 'js' },
    plugins,
  });
  if (readFileSync(entry, 'utf8') === source) throw new Error('bundle-probe-serve: serve.js was not rewritten');

  members.forEach((file, index) => {
    const exported = names.get(file) ?? [];
    let target = relative(dirname(file), entry);
    if (!target.startsWith('.')) target = `./${target}`;
    writeFileSync(
      file,
      exported.length === 0
        ? `import '${target}';\n`
        : `export { ${exported.map((name) => `${aliasOf(index, name)} as ${name}`).join(', ')} } from '${target}';\n`,
    );
    rmSync(`${file}.map`, { force: true }); // tsc's maps describe the unbundled files
  });
  return members;
}
