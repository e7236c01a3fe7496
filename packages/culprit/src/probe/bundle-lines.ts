/**
 * Which lines of a bundle are the application's. An operation's record names
 * the first application frame (frame-source.ts), told by its file: outside
 * node_modules. In a bundle every frame is in one file, the bundled driver's
 * and pool's included, and the first frame above a hook is pg-pool's. esbuild
 * starts each source file's code with a comment naming it, at the line's start
 * (`// node_modules/pg/lib/client.js`, `// src/books.ts`), and keeps no other
 * comment there: the lines from a node_modules marker to the next marker are a
 * dependency's, as are the runtime helpers above the first marker.
 *
 * Pure text work and a table on globalThis (every copy of the probe reads one).
 */

/** A bundle's sections: `starts[i]` is the 0-based line where section i begins, `app[i]` whether it is the app's. */
export interface BundleLines {
  starts: number[];
  app: boolean[];
}

const TABLE = Symbol.for('culprit.bundleLines');

function table(): Map<string, BundleLines> {
  const holder = globalThis as Record<symbol, Map<string, BundleLines> | undefined>;
  let found = holder[TABLE];
  if (!found) {
    found = new Map();
    holder[TABLE] = found;
  }
  return found;
}

/** A marker esbuild writes before a file's code: one path, no spaces (`// Annotate the CommonJS…` is not one). */
const MARKER = /^\/\/ [^\s]+\.[\w]+$/;

/** The sections of an esbuild bundle's text, by its file markers. */
export function bundleLinesOf(source: string): BundleLines {
  const starts = [0];
  const app = [false]; // esbuild's runtime helpers, above the first file
  let line = 0;
  let at = 0;
  for (;;) {
    const next = source.indexOf('\n', at);
    const end = next < 0 ? source.length : next;
    if (source.startsWith('// ', at)) {
      const text = source.slice(at, end).trimEnd();
      if (MARKER.test(text)) {
        starts.push(line);
        app.push(!text.includes('node_modules/'));
      }
    }
    if (next < 0) break;
    at = next + 1;
    line += 1;
  }
  return { starts, app };
}

/** Keeps `file`'s sections for isApplicationLine. */
export function noteBundleLines(file: string, lines: BundleLines): void {
  table().set(file, lines);
}

/** The sections of `file` when it is a bundle the probe compiled, else undefined. */
export function bundleLines(file: string): BundleLines | undefined {
  return (globalThis as Record<symbol, Map<string, BundleLines> | undefined>)[TABLE]?.get(file);
}

/** Whether 0-based `line` of the bundle lies in the application's own code. */
export function isApplicationLine(lines: BundleLines, line: number): boolean {
  const { starts, app } = lines;
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((starts[middle] as number) <= line) low = middle;
    else high = middle - 1;
  }
  return app[low] ?? true;
}
