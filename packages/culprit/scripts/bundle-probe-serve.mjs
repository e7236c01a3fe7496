// After start.js (bundle-probe.mjs): the probe's server side, what loads once a process turns out to be the
// server (serve.js: link, control methods, recorder, socket counter, the Redis hooks), becomes one bundled
// file, dist/probe/serve.js, and the SQL driver hooks another, dist/probe/driver-hooks.js, which loads with
// the first driver file or the first recorded request (hook-loading.ts): a server that queries no database
// never compiles their ~60 KB. A probed server loaded some 70 modules one by one through Node's ES module
// loader after it listened (bench/probe/idle.mjs). The built file of each module bundled into either
// becomes a re-export of it, so a module loaded later (a hook `require`d as a driver file loads,
// culprit/otel's or the module host's imports) reaches the bundle's one copy of its state. Modules export
// clashing names (every driver hook has `install`), so a bundle exports each module's names under an alias
// (`m12$install`) and its file renames them back. Modules of start.js stay there: the bundles import them
// from start.js, never a second copy; the driver hooks import the server side's modules from serve.js.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS, bundleInPlace, lazyImportsFrom } from './bundle-in-place.mjs';

// the entries of the SQL driver and Redis hooks, which hook-loading.ts (start.js) imports: their own
// bundle, driver-hooks.js
const hookEntries = ['query-hooks.js', 'remote/index.js'];
// the entry of what only a connected culprit uses (the recorder, the control and breakpoint methods), which
// serve.ts requires when the CLI connects: its own bundle, record.js. Modules both it and the driver hooks
// import go into serve.js, so neither lazy bundle loads the other.
const recordEntry = 'record-side.js';
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
 * esbuild plugin for driver-hooks.js: a module of the server side resolves to a re-export of its aliased
 * names from serve.js (external), so the hooks share serve.js's copy of its state; serve.js itself is external.
 */
function fromServeBundle(probe, serveEntry, aliasesOf) {
  return {
    name: 'from-serve-bundle',
    setup(bundler) {
      bundler.onResolve({ filter: /^\./ }, (args) => {
        if (args.namespace === 'serve-member') return { path: './serve.js', external: true };
        const file = resolve(args.resolveDir, args.path);
        if (file === serveEntry) return { path: './serve.js', external: true };
        if (aliasesOf.has(file)) return { path: file, namespace: 'serve-member' };
        return undefined;
      });
      bundler.onLoad({ filter: /.*/, namespace: 'serve-member' }, (args) => {
        const pairs = aliasesOf.get(args.path);
        const contents =
          pairs.length === 0
            ? `import './serve.js';`
            : `export { ${pairs.map(([name, alias]) => `${alias} as ${name}`).join(', ')} } from './serve.js';`;
        return { contents, resolveDir: probe, loader: 'js' };
      });
    },
  };
}

/** The modules of culprit's probe that `entries` import (esbuild's graph), minus `excluded` (absolute paths). */
async function membersOf(root, entries, plugins, excluded) {
  const probe = resolve(root, 'dist/probe');
  const graph = await build({
    ...BUNDLE_OPTIONS,
    absWorkingDir: root,
    entryPoints: entries,
    outdir: resolve(root, '.bundle-probe-serve'),
    write: false,
    metafile: true,
    plugins,
  });
  return (
    Object.keys(graph.metafile.inputs)
      .map((input) => resolve(root, input))
      // culprit's modules outside the probe (own-code.js, watch/fold-path.js: constants and pure functions)
      // keep their files for the CLI, the bundle a copy
      .filter((file) => !excluded.has(file) && file.startsWith(`${probe}/`))
  );
}

/** The entry source of a bundle re-exporting each member's names under its alias. */
function aliasedEntry(probe, members, names, aliasOf, head = []) {
  const lines = [...head];
  for (const file of members) {
    const exported = names.get(file) ?? [];
    const path = `./${relative(probe, file)}`;
    if (exported.length === 0) lines.push(`import '${path}';`);
    else
      lines.push(
        `export { ${exported.map((name) => `${name} as ${aliasOf(file, name)}`).join(', ')} } from '${path}';`,
      );
  }
  return lines.join('\n');
}

/** Turns each member's built file into a re-export of its names from `bundle`. */
function shimMembers(members, names, aliasOf, bundle) {
  for (const file of members) {
    const exported = names.get(file) ?? [];
    let target = relative(dirname(file), bundle);
    if (!target.startsWith('.')) target = `./${target}`;
    writeFileSync(
      file,
      exported.length === 0
        ? `import '${target}';\n`
        : `export { ${exported.map((name) => `${aliasOf(file, name)} as ${name}`).join(', ')} } from '${target}';\n`,
    );
    rmSync(`${file}.map`, { force: true }); // tsc's maps describe the unbundled files
  }
}

/**
 * Bundles dist/probe/serve.js and the modules it and the Redis hooks import (not those of start.js,
 * `startMembers`: absolute paths) over serve.js, and the driver hooks' modules into driver-hooks.js;
 * returns the paths of the modules turned into re-exports.
 */
export async function bundleServeSide(root, startMembers) {
  const probe = resolve(root, 'dist/probe');
  const entry = resolve(probe, 'serve.js');
  const hooksBundle = resolve(probe, 'driver-hooks.js');
  const recordBundle = resolve(probe, 'record.js');
  const plugins = [externals(probe, startMembers), lazyImportsFrom(probe, 'bundle-probe-serve')];
  const own = new Set([entry, ...copied.map((file) => resolve(probe, file))]);

  // which modules the server side is made of, and which the record side and the driver hooks add to it
  const serveGraph = await membersOf(root, [entry], plugins, own);
  const beyondServe = new Set([...own, ...serveGraph]);
  const recordGraph = await membersOf(root, [resolve(probe, recordEntry)], plugins, beyondServe);
  const hookGraph = await membersOf(
    root,
    hookEntries.map((file) => resolve(probe, file)),
    plugins,
    beyondServe,
  );
  const inBoth = new Set(recordGraph.filter((file) => hookGraph.includes(file)));
  const serveMembers = [...serveGraph, ...inBoth];
  const recordMembers = recordGraph.filter((file) => !inBoth.has(file));
  const hookMembers = hookGraph.filter((file) => !inBoth.has(file));
  const members = [...serveMembers, ...recordMembers, ...hookMembers];
  const names = await exportsOf(root, members, plugins);
  const index = new Map(members.map((file, at) => [file, at]));
  const aliasOf = (file, name) => `m${index.get(file)}$${name}`;

  // both bundles are built from the unbundled files, before any becomes a re-export
  const source = readFileSync(entry, 'utf8'); // the unbundled serve.js: the entry below imports it
  const aliasesOf = new Map(
    serveMembers.map((file) => [file, (names.get(file) ?? []).map((name) => [name, aliasOf(file, name)])]),
  );
  for (const [bundle, bundled, label] of [
    [hooksBundle, hookMembers, 'driver-hooks-entry.js'],
    [recordBundle, recordMembers, 'record-entry.js'],
  ]) {
    await build({
      ...BUNDLE_OPTIONS,
      absWorkingDir: root,
      outfile: bundle,
      stdin: {
        contents: aliasedEntry(probe, bundled, names, aliasOf),
        resolveDir: probe,
        sourcefile: label,
        loader: 'js',
      },
      plugins: [fromServeBundle(probe, entry, aliasesOf), ...plugins],
    });
  }
  await bundleInPlace(entry, {
    absWorkingDir: root,
    entryPoints: undefined,
    stdin: {
      contents: aliasedEntry(probe, serveMembers, names, aliasOf, [`export * from './serve.js';`]),
      resolveDir: probe,
      sourcefile: 'serve-side.js',
      loader: 'js',
    },
    plugins,
  });
  if (readFileSync(entry, 'utf8') === source) throw new Error('bundle-probe-serve: serve.js was not rewritten');
  if (readFileSync(entry, 'utf8').includes('// dist/probe/queries/pg.js'))
    throw new Error('bundle-probe-serve: the pg hook was bundled into serve.js, not driver-hooks.js');

  for (const bundle of [recordBundle, hooksBundle]) {
    const text = readFileSync(bundle, 'utf8');
    for (const file of [...serveMembers, ...(bundle === hooksBundle ? recordMembers : hookMembers)]) {
      if (text.includes(`// ${relative(root, file)}\n`))
        throw new Error(`bundle-probe-serve: ${relative(root, file)} was bundled into ${relative(root, bundle)}`);
    }
  }
  shimMembers(serveMembers, names, aliasOf, entry);
  shimMembers(recordMembers, names, aliasOf, recordBundle);
  shimMembers(hookMembers, names, aliasOf, hooksBundle);
  return members;
}
