/**
 * Generated → original positions in the worker, from the scripts' own source
 * maps, and the source lines around them (for a captured stack's code lines).
 */
import { readFileSync } from 'node:fs';
import type { SourceLocation } from '../../capture/types.js';
import { isOwnFile } from '../../own-code.js';
import { type MainThreadDebugger, toFile, toUrl } from './cdp.js';
import { originalPosition } from './source-map-decode.js';

export interface MappedLocation extends SourceLocation {
  /** Source text of the file, when known (map's sourcesContent or the file on disk). */
  text?: string;
}

/** 0-based generated position → 1-based original location; the generated one when no map applies. */
export function mapLocation(
  debug: MainThreadDebugger,
  scriptId: string,
  line: number,
  column: number,
  functionName?: string,
): MappedLocation | undefined {
  const script = debug.scripts.get(scriptId);
  if (!script) return undefined;
  const map = debug.sourceMap(scriptId);
  const original = map ? originalPosition(map, line, column) : undefined;
  const named = functionName ? { functionName } : {};
  if (map && original) {
    const file = map.files[original.source] ?? script.url;
    const content = map.sourcesContent[original.source] ?? undefined;
    return {
      file,
      line: original.line + 1,
      column: original.column + 1,
      ...named,
      ...withPackage(file),
      ...withText(file, content),
    };
  }
  const file = toFile(toUrl(script.url));
  return { file, line: line + 1, column: column + 1, ...named, ...withPackage(file), ...withText(file, undefined) };
}

/** `typeorm` for `/app/node_modules/typeorm/query-builder/x.js` (the innermost package), else undefined. */
export function packageOf(file: string): string | undefined {
  if (isOwnFile(file)) return 'culprit';
  const match = /.*[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
  return match?.[1]?.replace(/\\/g, '/');
}

function withPackage(file: string): { package?: string } {
  const name = packageOf(file);
  return name ? { package: name } : {};
}

const texts = new Map<string, string | undefined>();

function withText(file: string, content: string | undefined): { text?: string } {
  if (content !== undefined) return { text: content };
  if (!texts.has(file)) {
    try {
      texts.set(file, file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file) ? readFileSync(file, 'utf8') : undefined);
    } catch {
      texts.set(file, undefined); // a file that moved or is virtual: no code lines, the location still stands
    }
  }
  const text = texts.get(file);
  return text === undefined ? {} : { text };
}

/** Lines around a 1-based line: two before, two after. */
export function snippetAround(text: string, line: number): { startLine: number; lines: string[] } {
  const all = text.split('\n');
  const startLine = Math.max(1, line - 2);
  return { startLine, lines: all.slice(startLine - 1, line + 2).map((l) => l.replace(/\r$/, '')) };
}

/** Without the source text: what goes into capture types. */
export function plainLocation(location: MappedLocation): SourceLocation {
  const { text: _text, ...plain } = location;
  return plain;
}
