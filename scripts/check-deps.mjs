#!/usr/bin/env node
// Fails (exit 1) when a runtime dependency of a workspace package is used by
// none of its files: every entry of `dependencies` ships to each user, so one
// that nothing imports is weight for nothing. "Used" means a source file names
// the package in a string literal (import, require, import(), import.meta.resolve,
// require.resolve all take one), or the package's npm scripts run its binary.
// Part of `npm run lint`; `node scripts/check-deps.mjs` runs it alone.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const SKIP = new Set(['node_modules', 'dist', 'viewer-dist', '.git', 'test-artifacts', '.ci', 'coverage']);
const SOURCE = /\.(?:[cm]?[jt]sx?|vue|svelte)$/;

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (SOURCE.test(entry.name)) yield path;
  }
}

/** Workspace folders as the root package.json lists them (`dir/*` globs one level). */
function workspaceDirs(manifest) {
  const dirs = [];
  for (const pattern of manifest.workspaces ?? []) {
    if (!pattern.endsWith('/*')) {
      dirs.push(join(root, pattern));
      continue;
    }
    const parent = join(root, pattern.slice(0, -2));
    for (const entry of readdirSync(parent, { withFileTypes: true })) {
      if (entry.isDirectory()) dirs.push(join(parent, entry.name));
    }
  }
  return dirs.filter((dir) => existsSync(join(dir, 'package.json')));
}

/** Package names a file mentions as a whole string literal or a subpath of one ('pkg', 'pkg/sub'). */
function mentionedPackages(text) {
  const names = new Set();
  for (const match of text.matchAll(/(['"`])((?:@[\w.-]+\/)?[\w.-]+)(?:\/[^'"`\s]*)?\1/g)) {
    names.add(match[2]);
  }
  return names;
}

/** Binaries the package's own npm scripts run, mapped back to the dependency that provides them. */
function scriptBinaries(dir, manifest) {
  const used = new Set();
  const scripts = Object.values(manifest.scripts ?? {}).join(' ');
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    const depManifest = [join(dir, 'node_modules', name), join(root, 'node_modules', name)]
      .map((base) => join(base, 'package.json'))
      .find((path) => existsSync(path));
    if (!depManifest) continue;
    const { bin } = JSON.parse(readFileSync(depManifest, 'utf8'));
    const bins = typeof bin === 'string' ? [name.replace(/^@[^/]+\//, '')] : Object.keys(bin ?? {});
    if (bins.some((command) => new RegExp(`(^|[\\s;&|(])${command}(\\s|$)`).test(scripts))) used.add(name);
  }
  return used;
}

const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const problems = [];
for (const dir of [root, ...workspaceDirs(rootManifest)]) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const declared = Object.keys(manifest.dependencies ?? {});
  if (declared.length === 0) continue;
  const used = scriptBinaries(dir, manifest);
  // the root's own files are scripts and fixtures, not the workspaces' (those are checked on their own)
  const files = dir === root ? [join(root, 'scripts'), join(root, 'bench')].filter(existsSync) : [dir];
  for (const base of files) {
    for (const file of sourceFiles(base)) {
      for (const name of mentionedPackages(readFileSync(file, 'utf8'))) used.add(name);
    }
  }
  for (const name of declared) {
    if (!used.has(name)) problems.push(`${relative(root, join(dir, 'package.json')) || 'package.json'}: "${name}"`);
  }
}

if (problems.length > 0) {
  console.error(
    'check-deps: runtime dependencies that no source file imports (remove them or move them to devDependencies):',
  );
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log('check-deps: every runtime dependency is imported');
