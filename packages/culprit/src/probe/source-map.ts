/**
 * Maps generated positions to original source inside the target, with each
 * script's source map (script-source-maps.ts: Node's own when it loaded one,
 * so in-memory transforms (tsx) map as well as files on disk, else the map
 * the script names, inline maps of test runners' vm-evaluated modules too).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceLocation } from '../capture/types.js';
import { isOwnFile } from '../own-code.js';
import type { ScriptMap } from './script-source-maps.js';
import { sourceMapOf } from './scripts.js';

/** A generated position: V8's 0-based line and column. */
export interface GeneratedPosition {
  url: string;
  line: number;
  column: number;
  functionName?: string;
}

const fileExists = new Map<string, boolean>();

/**
 * Packages often ship maps whose sources were never published (typeorm's
 * `../../src/…`): a mapped file that is not on disk is worse than the
 * generated one, which at least names the package and opens in an editor.
 */
function onDisk(file: string): boolean {
  if (!file.startsWith('/')) return true; // URLs and node: internals are not files to check
  let known = fileExists.get(file);
  if (known === undefined) {
    known = existsSync(file);
    fileExists.set(file, known);
  }
  return known;
}

function toPath(urlOrPath: string): string {
  if (urlOrPath.startsWith('file://')) {
    try {
      return fileURLToPath(urlOrPath);
    } catch {
      return urlOrPath;
    }
  }
  return urlOrPath;
}

/**
 * An original source as a path. Node resolves the sources of maps it loaded;
 * an inline map read from V8 (vm-evaluated code) may name them relative to
 * the generated file (`books.test.ts`), so those are resolved here.
 */
function originalFile(source: string, map: ScriptMap, generatedFile: string): string {
  if (source.startsWith('webpack://')) return webpackSource(source, generatedFile) ?? source;
  if (source.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(source)) return toPath(source);
  const root = (map.payload as { sourceRoot?: unknown }).sourceRoot;
  return resolve(dirname(generatedFile), typeof root === 'string' ? root : '', source);
}

/**
 * webpack (Next.js's `.next/server`, most bundled servers) names sources
 * `webpack://<namespace>/<path from the build's context>`; the context is the
 * project, a directory above the bundle: the nearest one holding the path.
 */
function webpackSource(source: string, generatedFile: string): string | undefined {
  const relative = source
    .replace(/^webpack:\/\/[^/]*\//, '')
    .replace(/^\.\//, '')
    .replace(/\?.*$/, '');
  if (!relative || relative.startsWith('webpack/') || !generatedFile.startsWith('/')) return undefined;
  for (let dir = dirname(generatedFile); ; dir = dirname(dir)) {
    const candidate = resolve(dir, relative);
    if (onDisk(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The npm package a file belongs to (`@scope/name` or `name`), from its last node_modules segment. */
export function packageOf(file: string): string | undefined {
  if (isOwnFile(file)) return 'culprit';
  const at = file.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const parts = file.slice(at + '/node_modules/'.length).split('/');
  const first = parts[0];
  if (!first) return undefined;
  return first.startsWith('@') && parts[1] ? `${first}/${parts[1]}` : first;
}

/** Per map: whether any of its sources is on disk (else no position maps through it). */
const reachesDisk = new WeakMap<ScriptMap, boolean>();

/**
 * Whether a position could map through `map`: a source a position maps to
 * is kept only on disk (`onDisk`), so a map none of whose sources is there
 * is never looked up, nor decoded (typeorm's, issue 15).
 */
function mapsToDisk(map: ScriptMap, generatedFile: string): boolean {
  let known = reachesDisk.get(map);
  if (known === undefined) {
    known = map.payload.sources.some((source) => onDisk(originalFile(source, map, generatedFile)));
    reachesDisk.set(map, known);
  }
  return known;
}

/** One position → original location (1-based); null when the position names no script. */
export function mapPosition(position: GeneratedPosition): SourceLocation | null {
  if (!position.url) return null;
  let file = toPath(position.url);
  let line = position.line + 1;
  let column = position.column + 1;
  let functionName = position.functionName;
  const map = sourceMapOf(position.url);
  if (map && mapsToDisk(map, file)) {
    const entry = map.findEntry(position.line, position.column) as Partial<{
      originalSource: string;
      originalLine: number;
      originalColumn: number;
      name: string;
    }>;
    const source = entry.originalSource && originalFile(entry.originalSource, map, file);
    if (source && typeof entry.originalLine === 'number' && onDisk(source)) {
      file = source;
      line = entry.originalLine + 1;
      column = (entry.originalColumn ?? 0) + 1;
      if (!functionName && entry.name) functionName = entry.name;
    }
  }
  const location: SourceLocation = { file, line, column };
  if (functionName) location.functionName = functionName;
  const pkg = packageOf(file);
  if (pkg) location.package = pkg;
  return location;
}
