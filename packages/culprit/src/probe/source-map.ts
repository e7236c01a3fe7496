/**
 * Maps generated positions to original source inside the target, with the
 * source maps Node itself loaded (`--enable-source-maps`, `module.findSourceMap`),
 * so in-memory transforms (tsx) map as well as files on disk.
 */
import { existsSync } from 'node:fs';
import { findSourceMap, type SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { SourceLocation } from '../capture/types.js';
import { isOwnFile } from '../own-code.js';

/** A generated position: V8's 0-based line and column. */
export interface GeneratedPosition {
  url: string;
  line: number;
  column: number;
  functionName?: string;
}

const mapCache = new Map<string, SourceMap | null>();
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

function sourceMapFor(url: string): SourceMap | null {
  let map = mapCache.get(url);
  if (map === undefined) {
    map = null;
    for (const key of [url, toPath(url)]) {
      try {
        map = findSourceMap(key) ?? null;
      } catch {
        map = null; // findSourceMap throws on some non-file keys: treat as "no map"
      }
      if (map) break;
    }
    mapCache.set(url, map);
  }
  return map;
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

/** One position → original location (1-based); null when the position names no script. */
export function mapPosition(position: GeneratedPosition): SourceLocation | null {
  if (!position.url) return null;
  let file = toPath(position.url);
  let line = position.line + 1;
  let column = position.column + 1;
  let functionName = position.functionName;
  const map = sourceMapFor(position.url);
  if (map) {
    const entry = map.findEntry(position.line, position.column) as Partial<{
      originalSource: string;
      originalLine: number;
      originalColumn: number;
      name: string;
    }>;
    if (entry.originalSource && typeof entry.originalLine === 'number' && onDisk(toPath(entry.originalSource))) {
      file = toPath(entry.originalSource);
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
