// After the ES module bundles (bundle-probe.mjs, bundle-probe-serve.mjs): the probe's preload and the files it
// loads at run time become CommonJS, so command mode preloads it with `--require` (NODE_OPTIONS). On Node 20 an
// `--import` starts the ES module loader in every process of the target's tree (an empty `--import` file: 18.8 M
// instructions, an empty `--require` 6 M) and sends a CommonJS app's main script through it; `require` of an ES
// module (Node 20.19+) starts that loader too. So each bundle (index, start, serve, record, driver-hooks) gets a
// CommonJS twin, `X.cjs`, built from it, and every re-export file a twin that requires the bundle's twin: a
// module loaded at run time (a hook `require`d as a driver file loads) reaches the same one copy of the state.
// The ES module files stay for ES module importers (the module host, culprit/otel, tests) and become
// re-exports of the twins: one copy of the state either way. The runtime path must never `import()` a .js
// file (its re-export of CommonJS would start the loader and Node's CommonJS export lexer: +40 M at a
// server's listen): a dynamic import of one of the probe's files becomes a lazy `require` of its twin.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS } from './bundle-in-place.mjs';

/** The bundles, in the probe's folder, that get a CommonJS twin (index.js is tsc's, the others esbuild's). */
export const CJS_BUNDLES = ['index.js', 'start.js', 'serve.js', 'record.js', 'driver-hooks.js'];
/** The modules that keep their file and hold state the bundles share (bundle-probe-serve.mjs `shared`). */
const SHARED = ['queries/normalize-sql.js'];

const twinOf = (file) => file.replace(/\.js$/, '.cjs');
const relativeFrom = (from, file) => {
  const path = relative(dirname(from), file);
  return path.startsWith('.') ? path : `./${path}`;
};

/**
 * The CommonJS twin of a re-export file as the ES module bundles write them: `export * from 'T'`,
 * `import 'T'`, `export { alias as name, … } from 'T'` (T a bundle). Named re-exports are getters, as an ES
 * module's bindings are live.
 */
export function twinOfReExport(text) {
  const star = /^export \* from '([^']+)';\s*$/.exec(text);
  if (star) return `module.exports = require(${JSON.stringify(twinOf(star[1]))});\n`;
  const bare = /^import '([^']+)';\s*$/.exec(text);
  if (bare) return `require(${JSON.stringify(twinOf(bare[1]))});\n`;
  const named = /^export \{ ([^}]+) \} from '([^']+)';\s*$/.exec(text);
  if (!named) return undefined;
  const getters = named[1].split(',').map((pair) => {
    const [alias, name] = pair.trim().split(/\s+as\s+/);
    return `  ${JSON.stringify(name ?? alias)}: { enumerable: true, get: () => bundle.${alias} },`;
  });
  return [
    `const bundle = require(${JSON.stringify(twinOf(named[2]))});`,
    'Object.defineProperties(exports, {',
    ...getters,
    '});',
    '',
  ].join('\n');
}

/**
 * `import.meta.url` in a twin. Not `pathToFileURL(__filename)` on POSIX paths: its `path.resolve` walks the
 * path a character at a time, and in every twin at start that tipped Node's `normalizeString` into V8's
 * optimizing compiler (+9 M instructions in a probed ES module app on Node 20).
 */
export const MODULE_URL = [
  '"use strict";', // before the banner, or the bundle's own directive is not the first statement
  'const __culpritModuleUrl = __filename.startsWith("/")',
  '  ? "file://" + encodeURI(__filename).replace(/[?#]/g, encodeURIComponent)',
  '  : require("node:url").pathToFileURL(__filename).href;',
].join('\n');

/**
 * esbuild's CommonJS output defines each export as a getter, `__export(x_exports, { name: () => local, … })`
 * at the top: V8 parses every one of those arrow functions eagerly (serve.cjs: 144 of them, +17 M
 * instructions against the same bundle as an ES module on Node 20). The probe's modules export no `let`,
 * so each export's value is final once the module ran: they become plain properties, assigned at the end.
 * No twin requires another that is still running (start ← serve ← record or driver-hooks, the rest lazily).
 */
export function plainExports(text, file) {
  const block = /^__export\(([\w$]+), \{\n([\s\S]*?)\n\}\);\n/m.exec(text);
  if (!block && !text.includes('__toCommonJS(')) return text; // a module that exports nothing
  if (!block) throw new Error(`bundle-probe-cjs: no __export block in ${file}`);
  const pairs = block[2].split('\n').map((line) => {
    const pair = /^ {2}([\w$]+): \(\) => ([\w$.]+),?$/.exec(line);
    if (!pair) throw new Error(`bundle-probe-cjs: unexpected export line in ${file}: ${line}`);
    return `${pair[1]}: ${pair[2]}`;
  });
  const annotation = text.lastIndexOf('\n0 && (module.exports = {');
  if (annotation < 0) throw new Error(`bundle-probe-cjs: no export annotation in ${file}`);
  const body = text.slice(0, annotation).replace(block[0], '');
  return `${body}\nObject.assign(module.exports, { ${pairs.join(', ')} });${text.slice(annotation)}`;
}

/** The export names esbuild annotated for Node's CommonJS lexer at the end of a twin. */
export function twinExportNames(text, file) {
  const annotation = /\n0 && \(module\.exports = \{\n([\s\S]*?)\n\}\);\s*$/.exec(text);
  if (!annotation) return [];
  return annotation[1].split('\n').map((line) => {
    const name = /^ {2}([A-Za-z_$][\w$]*),?$/.exec(line)?.[1];
    if (!name) throw new Error(`bundle-probe-cjs: unexpected export name in ${file}: ${line}`);
    return name;
  });
}

/**
 * An ES module file over its twin: the twin `require`d, its exports named. Not `export * from './X.cjs'`:
 * Node would run its CommonJS export lexer over the twin, which took ~190 M instructions for start.cjs
 * (25 KB) on Node 20, ~270 M for the module host's imports of the probe.
 */
function esmOverTwin(entry) {
  const twin = twinOf(entry);
  const names = twinExportNames(readFileSync(twin, 'utf8'), twin);
  const lines = [
    "import { createRequire } from 'node:module';",
    `const twin = createRequire(import.meta.url)('./${relative(dirname(entry), twin)}');`,
  ];
  // the probe's modules export no `let`: a value read once is the binding's for good (plainExports)
  if (names.length > 0) lines.push(`export const { ${names.join(', ')} } = twin;`);
  return `${lines.join('\n')}\n`;
}

/**
 * esbuild plugin: the probe's other files are external and their twins (`require`); an `import()` of one
 * becomes a lazy `require` of its twin (a module of its own in the bundle, evaluated at the import).
 */
function toTwins(folder, owned, outDir) {
  return {
    name: 'probe-twins',
    setup(bundler) {
      bundler.onResolve({ filter: /^\./ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        if (args.namespace === 'lazy-twin') return { path: args.path, external: true };
        const file = resolve(args.resolveDir, args.path);
        if (!file.startsWith(`${folder}/`) || !owned.has(file)) {
          return { errors: [{ text: `bundle-probe-cjs: ${args.path} (from ${args.importer}) has no CommonJS twin` }] };
        }
        if (args.kind === 'dynamic-import') return { path: file, namespace: 'lazy-twin' };
        return { path: relativeFrom(resolve(outDir, 'x'), twinOf(file)), external: true };
      });
      bundler.onLoad({ filter: /.*/, namespace: 'lazy-twin' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(relativeFrom(resolve(outDir, 'x'), twinOf(args.path)))});`,
        resolveDir: outDir,
        loader: 'js',
      }));
    },
  };
}

/**
 * `text` with every non-ASCII character escaped (`\uXXXX`, valid in strings, regular expressions, template
 * literals, identifiers and comments alike; esbuild escapes all but comments already): culprit's code cache
 * reads the twins as Latin-1, which copies bytes where UTF-8 decoding cost ≈20 instructions a byte.
 */
export function asciiOnly(text) {
  return text.replace(/[^\0-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * esbuild's `import()` of a lazy twin, `__toESM(require_x(), 1)`, copied every export of the twin onto a new
 * object as a getter (serve.cjs: 146 of them, ≈1.5 M instructions at the listen). The probe's files use the
 * named exports of what they import, never `default`, and a twin's exports are plain final properties
 * (plainExports): the twin's exports object serves as the namespace.
 */
export function lazyTwinsAsIs(text) {
  return text.replace(/__toESM\((require_[\w$]+)\(\), 1\)/g, '$1()');
}

/**
 * esbuild imports a built-in once per bundled module that imports it: `var m2 = __toESM(require("node:module"), 1)`
 * three times in the probe's start.cjs, four times `node:diagnostics_channel` in serve.cjs, each a new object
 * with a getter defined per export of the built-in (node:module has ~40) at every start. Within one twin they
 * become one object: the later ones name the first (each is a read-only view of the same built-in).
 */
export function sharedBuiltinImports(text) {
  const first = new Map();
  return text.replace(/^var ([\w$]+) = __toESM\(require\("(node:[\w/]+)"\), 1\);$/gm, (line, name, id) => {
    const known = first.get(id);
    if (known === undefined) {
      first.set(id, name);
      return line;
    }
    return `var ${name} = ${known};`;
  });
}

/**
 * Builds `entry`'s CommonJS twin (`X.cjs` beside it): its imports of `owned` files (absolute paths, in
 * `folder`) become requires of their twins. Returns the twin's path.
 */
export async function buildTwin(root, folder, owned, entry, { routeImports = true } = {}) {
  await build({
    ...BUNDLE_OPTIONS,
    format: 'cjs',
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: twinOf(entry),
    // the module's own URL, for `createRequire(import.meta.url)` and files found beside it
    define: { 'import.meta.url': '__culpritModuleUrl' },
    banner: { js: MODULE_URL },
    plugins: [toTwins(folder, owned, dirname(entry))],
  });
  const text = sharedBuiltinImports(
    lazyTwinsAsIs(asciiOnly(plainExports(readFileSync(twinOf(entry), 'utf8'), twinOf(entry)))),
  );
  writeFileSync(twinOf(entry), routeImports ? routeDynamicImports(text) : text);
  return twinOf(entry);
}

/**
 * A twin loaded through the code cache (src/probe/code-cache.ts) runs as a `vm.Script`, where `import()`
 * has no module loader: each `import(` calls the `__culpritImport` the cache's wrapper passes instead,
 * and the twin's own `import()` where Node's CommonJS loader loaded it.
 */
export function routeDynamicImports(text) {
  return text.replace(
    /\bimport\(/g,
    '(typeof __culpritImport === "function" ? __culpritImport : (specifier) => import(specifier))(',
  );
}

/**
 * The probe's CommonJS entry (index.cjs, loaded by Node for `--require`): its requires of the bundles
 * (start.cjs, serve.cjs) go through the code cache, so they and the files they require are deserialized
 * rather than compiled where the cache holds them (bench/probe/README.md, "Start-up, eighth pass").
 * `loader` is code-cache.js's CommonJS build, copied in: as a file of its own, Node resolving its path
 * tipped `normalizeString` into V8's optimizing compiler in every probed process.
 */
export function cachedEntry(text, file, loader) {
  const requires = /\brequire\(("\.\/[^"]+\.cjs")\)/g;
  const body = text.replace(requires, '__culpritRequire($1)');
  if (body === text) throw new Error(`bundle-probe-cjs: ${file} requires no bundle`);
  const banner = `${MODULE_URL}\n`;
  if (!body.startsWith(banner)) throw new Error(`bundle-probe-cjs: ${file} does not start with its banner`);
  // the loader's export annotation (for Node's CommonJS lexer) would read as the entry's own
  const annotation = loader.lastIndexOf('\n0 && (module.exports = {');
  const inlined = [
    'const __culpritRequire = (function (module, exports) {',
    annotation < 0 ? loader : loader.slice(0, annotation),
    'return module.exports;',
    '})({ exports: {} }, {}).cachedRequire(__filename, require);',
    '',
  ].join('\n');
  return `${banner}${inlined}${body.slice(banner.length)}`;
}

/**
 * Builds the twins: `reExports` are the re-export files the ES module bundles left (absolute paths). Returns
 * the twins written.
 */
export async function bundleCommonJsTwins(root, reExports) {
  const probe = resolve(root, 'dist/probe');
  const bundles = CJS_BUNDLES.map((name) => resolve(probe, name));
  const shared = SHARED.map((name) => resolve(probe, name));
  const owned = new Set([...bundles, ...shared, ...reExports]);
  const written = [];
  for (const file of reExports) {
    const twin = twinOfReExport(readFileSync(file, 'utf8'));
    if (twin === undefined) throw new Error(`bundle-probe-cjs: ${file} is not a re-export file`);
    writeFileSync(twinOf(file), twin);
    written.push(twinOf(file));
  }
  for (const entry of [...bundles, ...shared]) written.push(await buildTwin(root, probe, owned, entry));
  // the cache's loader runs in the entry Node loads itself: its `import()` is Node's
  const loader = await buildTwin(root, probe, owned, resolve(probe, 'code-cache.js'), { routeImports: false });
  const index = resolve(probe, 'index.cjs');
  writeFileSync(index, cachedEntry(readFileSync(index, 'utf8'), index, readFileSync(loader, 'utf8')));
  rmSync(loader);
  // the ES module files: re-exports of their twins (after every twin was built from them)
  for (const entry of [...bundles, ...shared]) writeFileSync(entry, esmOverTwin(entry));
  return written;
}
