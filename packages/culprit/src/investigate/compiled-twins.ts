/**
 * Locations in JavaScript that tsc compiled into its `outDir` without a
 * source map, moved to the TypeScript line they came from: the user edits
 * `src/repositories/articles.ts`, not `dist/src/repositories/articles.js`.
 * A script with a `sourceMappingURL` is left to the probe, which maps it.
 * Everything is read through the project's source reader.
 */
import { dirname, join, relative } from 'node:path';
import type { Capture, SourceLocation } from '../capture/types.js';
import type { ReadSource } from '../diagnose/snippets.js';
import { twinLines } from './twin-lines.js';

/** How many folders above a compiled file its tsconfig.json is looked for. */
const TSCONFIG_REACH = 6;
const COMPILED = /\.(c|m)?js$/;
const TWIN_EXTENSIONS: Record<string, string[]> = { '': ['.ts', '.tsx'], m: ['.mts'], c: ['.cts'] };

interface Twin {
  file: string;
  lines: number[];
}

/** tsconfig.json is JSONC: comments and trailing commas are allowed. */
function parseJsonc(text: string): unknown {
  const bare = text
    .replace(/("(?:\\.|[^"\\])*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_all, string: string | undefined) => string ?? '')
    .replace(/,(\s*[}\]])/g, '$1');
  try {
    return JSON.parse(bare);
  } catch {
    return undefined; // not a config culprit can read: the compiled file keeps its lines
  }
}

function compilerDirs(config: unknown, dir: string): { outDir: string; rootDirs: string[] } | undefined {
  if (typeof config !== 'object' || config === null) return undefined;
  const options = (config as { compilerOptions?: unknown }).compilerOptions;
  if (typeof options !== 'object' || options === null) return undefined;
  const { outDir, rootDir } = options as { outDir?: unknown; rootDir?: unknown };
  if (typeof outDir !== 'string') return undefined;
  // without rootDir, tsc roots the output at the common folder of its inputs: the project's, or its src
  const rootDirs = typeof rootDir === 'string' ? [join(dir, rootDir)] : [dir, join(dir, 'src')];
  return { outDir: join(dir, outDir), rootDirs };
}

function findTwin(path: string, readSource: ReadSource): Twin | undefined {
  const compiled = readSource(path);
  if (compiled === undefined || /[#@]\s*sourceMappingURL=/.test(compiled)) return undefined;
  let dir = dirname(path);
  for (let up = 0; up < TSCONFIG_REACH; up++, dir = dirname(dir)) {
    const config = readSource(join(dir, 'tsconfig.json'));
    if (config !== undefined) {
      const dirs = compilerDirs(parseJsonc(config), dir);
      const inOut = dirs ? relative(dirs.outDir, path) : '..';
      if (!dirs || inOut.startsWith('..')) return undefined;
      const flavour = COMPILED.exec(path)?.[1] ?? '';
      for (const root of dirs.rootDirs) {
        for (const extension of TWIN_EXTENSIONS[flavour] ?? []) {
          const file = join(root, inOut.replace(COMPILED, extension));
          const source = readSource(file);
          if (source !== undefined) return { file, lines: twinLines(compiled.split(/\r?\n/), source.split(/\r?\n/)) };
        }
      }
      return undefined;
    }
    if (dirname(dir) === dir) break;
  }
  return undefined;
}

/** A mapper of locations onto their compiled file's TypeScript twin; each file looked up once. */
export function twinMapper(readSource: ReadSource): (location: SourceLocation) => SourceLocation | undefined {
  const twins = new Map<string, Twin | undefined>();
  return (location) => {
    const url = location.file.startsWith('file://');
    const path = url ? location.file.slice('file://'.length) : location.file;
    if (!COMPILED.test(path) || path.includes('/node_modules/')) return undefined;
    if (!twins.has(path)) twins.set(path, findTwin(path, readSource));
    const twin = twins.get(path);
    const line = twin?.lines[location.line - 1];
    if (!twin || line === undefined) return undefined;
    return { ...location, file: url ? `file://${twin.file}` : twin.file, line };
  };
}

/**
 * The loaded files and the TypeScript twins of the compiled ones among them: an entity declared in
 * `src/entities/order.ts` was loaded as `dist/entities/order.js`, and is the app's schema, not a script
 * run by hand.
 */
export function withTwinFiles(files: ReadonlySet<string>, readSource: ReadSource): Set<string> {
  const all = new Set(files);
  for (const file of files) {
    const path = file.startsWith('file://') ? file.slice('file://'.length) : file;
    if (!COMPILED.test(path) || path.includes('/node_modules/')) continue;
    const twin = findTwin(path, readSource);
    if (twin) all.add(twin.file);
  }
  return all;
}

const isLocation = (value: object): value is SourceLocation =>
  typeof (value as { file?: unknown }).file === 'string' && typeof (value as { line?: unknown }).line === 'number';

/** Moves every location of a capture (queries, stacks, calls, profile functions) onto its twin, in place. */
export function moveToTwins(capture: Capture, map: (location: SourceLocation) => SourceLocation | undefined): Capture {
  const seen = new WeakSet<object>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (isLocation(value)) {
      const moved = map(value);
      // a profile function's hottest line is a line of the same compiled file
      const hotLine = (value as { hotLine?: unknown }).hotLine;
      const hot = moved && typeof hotLine === 'number' ? map({ ...value, line: hotLine })?.line : undefined;
      if (moved)
        Object.assign(value, { file: moved.file, line: moved.line }, hot === undefined ? {} : { hotLine: hot });
    }
    for (const child of Array.isArray(value) ? value : Object.values(value)) visit(child);
  };
  visit(capture.requests);
  visit(capture.profile);
  return capture;
}
