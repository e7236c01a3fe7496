/**
 * The files of the target's project where its schema may be declared
 * (scripts, TypeScript, SQL), for the diagnosis to read through its source
 * reader: outside node_modules and hidden folders, built output only when the
 * project has nothing else, nearest folders first, and bounded in files and
 * bytes so that a large repository costs a few milliseconds.
 */
import { type Dirent, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_FILE, SCHEMA_READ_BUDGET } from '../diagnose/schema/table-declarations.js';

/** Files listed at most, and folders opened at most, per project. */
const MAX_FILES = 2_000;
const MAX_DIRS = 2_000;
/** Larger files are generated (bundles, dumps): nobody declares a table there. */
const MAX_FILE_BYTES = 512 * 1024;
const SKIPPED = new Set(['node_modules', 'bower_components', 'vendor', 'coverage', 'tmp', 'temp', 'logs']);
const OUTPUT = new Set(['dist', 'build', 'out', 'lib-cov', '.next', '.nuxt', '.output']);

function entriesOf(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return []; // unreadable folder: nothing declared there that we can see
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Breadth-first walk from `starts`, outside node_modules and hidden folders; folders named in `later` are returned aside. */
function walk(starts: readonly string[], later: ReadonlySet<string>): { files: string[]; aside: string[] } {
  const files: string[] = [];
  const aside: string[] = [];
  const queue = [...starts];
  let bytes = 0;
  for (let opened = 0; queue.length > 0 && opened < MAX_DIRS; opened++) {
    const dir = queue.shift() as string;
    for (const entry of entriesOf(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name.startsWith('.') && !OUTPUT.has(entry.name)) continue;
        if (SKIPPED.has(entry.name)) continue;
        if (later.has(entry.name)) aside.push(path);
        else queue.push(path);
      } else if (entry.isFile() && SCHEMA_FILE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        const size = sizeOf(path);
        if (size > MAX_FILE_BYTES) continue;
        files.push(path);
        bytes += size;
        if (files.length >= MAX_FILES || bytes >= SCHEMA_READ_BUDGET) return { files, aside };
      }
    }
  }
  return { files, aside };
}

/** The project's candidate schema files, nearest first; built output only when there is no other. */
export function projectSchemaFiles(roots: readonly string[]): string[] {
  const unique = [...new Set(roots)];
  const own = walk(unique, OUTPUT);
  // nested roots (a module inside the working directory's project) list the same file twice
  if (own.files.length > 0 || own.aside.length === 0) return [...new Set(own.files)];
  return [...new Set(walk(own.aside, new Set()).files)];
}
