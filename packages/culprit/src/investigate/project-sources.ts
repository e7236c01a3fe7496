/**
 * The only reader of source files for snippets, used while a capture is made:
 * the target's own project files and nothing else. A capture names files, and
 * a crafted one names `/etc/shadow`; so paths are resolved (symlinks too) and
 * read only when they fall under a project root and outside node_modules.
 * A capture read later (`culprit diagnose cap.json`, `culprit view`) gets no
 * reader at all: it shows the snippets it carries.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReadSource } from '../diagnose/snippets.js';
import type { TargetOptions } from '../target/types.js';

/** Source files larger than this are not read for snippets (a bundle, a generated file). */
const MAX_SOURCE_BYTES = 2 * 1024 * 1024;

/** The nearest directory at or above `dir` with a package.json or .git: the project `dir` belongs to. */
export function projectRootOf(dir: string): string {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'package.json')) || existsSync(join(at, '.git'))) return at;
    if (dirname(at) === at) return dir;
  }
}

/** The project roots of a target: its working directory's project, and in module mode the module's. */
export function targetProjectRoots(target: TargetOptions): string[] {
  const roots = [projectRootOf(target.cwd)];
  if (target.mode === 'module') {
    const modulePath = isAbsolute(target.modulePath) ? target.modulePath : join(target.cwd, target.modulePath);
    roots.push(projectRootOf(dirname(modulePath)));
  }
  return roots;
}

/**
 * The native realpath: one system call, where the JavaScript one lstat()s
 * every component of the path. Diagnose reads hundreds of project files for
 * their schema (1,010 from a monorepo's root: 63 ms of realpath, issue 15).
 */
function realOrUndefined(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined; // a file that is not there has no snippet
  }
}

/** The real path of `file` when it lies inside one of `roots` and outside node_modules, else undefined. */
export function projectFile(file: string, roots: readonly string[]): string | undefined {
  return projectFileIn(file, roots, realOrUndefined);
}

function projectFileIn(
  file: string,
  roots: readonly string[],
  realRootOf: (root: string) => string | undefined,
): string | undefined {
  let path = file;
  if (path.startsWith('file://')) {
    try {
      path = fileURLToPath(path);
    } catch {
      return undefined; // not a local file URL
    }
  }
  if (!isAbsolute(path)) return undefined;
  const real = realOrUndefined(path);
  if (real === undefined) return undefined;
  for (const root of roots) {
    const realRoot = realRootOf(root);
    if (realRoot === undefined) continue;
    const inside = relative(realRoot, real);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) continue;
    if (inside.split(sep).includes('node_modules')) return undefined;
    return real;
  }
  return undefined;
}

/** A snippet reader confined to the given project roots. */
export function projectSources(roots: readonly string[]): ReadSource {
  // the roots resolve once per reader, not once per file read
  const realRoots = new Map<string, string | undefined>();
  const realRootOf = (root: string): string | undefined => {
    if (!realRoots.has(root)) realRoots.set(root, realOrUndefined(root));
    return realRoots.get(root);
  };
  return (file) => {
    const path = projectFileIn(file, roots, realRootOf);
    if (path === undefined) return undefined;
    try {
      const stat = statSync(path);
      if (!stat.isFile() || stat.size > MAX_SOURCE_BYTES) return undefined;
      return readFileSync(path, 'utf8');
    } catch {
      return undefined; // unreadable (permissions, a race with a delete): no snippet
    }
  };
}
