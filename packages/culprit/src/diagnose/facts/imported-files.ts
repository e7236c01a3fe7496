/**
 * The application files a module imports by a relative path (`import { x } from '../lib/filters'`,
 * `require('./range')`), resolved as Node, tsc and bundlers resolve them: a part of a statement or a
 * cache key is often built by a helper of another module, which no stack shows once it has returned.
 * Pure given the reader.
 */
import { dirname, resolve } from 'node:path';
import type { ReadSource } from '../snippets.js';

const RELATIVE_IMPORT = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
/** What an extensionless or compiled specifier may name on disk, TypeScript first (`./x.js` is `./x.ts` in src). */
const CANDIDATES = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '/index.ts', '/index.js'];

function resolveImport(from: string, specifier: string, readSource: ReadSource): string | undefined {
  const base = resolve(dirname(from), specifier);
  const stems = /\.(?:c|m)?js$/.test(base) ? [base.replace(/\.(c|m)?js$/, '.$1ts'), base] : [base];
  for (const stem of stems)
    for (const suffix of CANDIDATES) {
      const path = `${stem}${suffix}`;
      if (readSource(path) !== undefined) return path;
    }
  return undefined;
}

/** The files `file` imports relatively, in the order it names them, each once. */
export function importedFiles(file: string, readSource: ReadSource): string[] {
  const path = file.replace(/^file:\/\//, '');
  const text = readSource(path);
  if (text === undefined) return [];
  const found = new Set<string>();
  for (const match of text.matchAll(RELATIVE_IMPORT)) {
    const resolved = match[1] ? resolveImport(path, match[1], readSource) : undefined;
    if (resolved && resolved !== path) found.add(resolved);
  }
  return [...found];
}
