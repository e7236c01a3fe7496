/**
 * The lines of the application's code a diagnosis reads besides its
 * findings' snippets, kept in the capture: the code around every line a
 * recorded operation was issued from (the loops and awaits above and below
 * it). A saved capture then reads them back through `excerptReader`, which
 * opens nothing. Pure given the reader.
 */
import type { Capture, SourceExcerpt, SourceLocation } from '../capture/types.js';
import { isAppFrame } from './facts/app-frames.js';
import { type TableDeclaration, tableName } from './schema/declaration.js';
import type { ReadSource } from './snippets.js';

/** Lines kept above an issuing line (an enclosing loop's header, the awaits before it) … */
const ABOVE = 40;
/** … and below it (the rest of a loop's body, the awaits after it). */
const BELOW = 40;
/** At most this many lines per capture: the excerpts must not outweigh the records. */
const MAX_LINES = 5_000;

interface Located {
  stack?: SourceLocation[];
  location?: SourceLocation;
}

function framesOf(capture: Capture): SourceLocation[] {
  const records: Located[] = capture.requests.flatMap((request) => [
    ...request.queries,
    ...(request.http ?? []),
    ...(request.redis ?? []),
  ]);
  return records.flatMap((record) => [...(record.stack ?? []), ...(record.location ? [record.location] : [])]);
}

/** Line ranges per file, merged where they touch. */
function rangesOf(frames: readonly SourceLocation[]): Map<string, Array<[number, number]>> {
  const byFile = new Map<string, Array<[number, number]>>();
  for (const frame of frames) {
    if (!isAppFrame(frame) || frame.line < 1) continue;
    const list = byFile.get(frame.file) ?? [];
    list.push([Math.max(1, frame.line - ABOVE), frame.line + BELOW]);
    byFile.set(frame.file, list);
  }
  for (const [file, list] of byFile) {
    list.sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const range of list) {
      const last = merged[merged.length - 1];
      if (last && range[0] <= last[1] + 1) last[1] = Math.max(last[1], range[1]);
      else merged.push([range[0], range[1]]);
    }
    byFile.set(file, merged);
  }
  return byFile;
}

/** The excerpts a capture should carry, read through the target's reader. */
export function excerptsOf(capture: Capture, readSource: ReadSource): SourceExcerpt[] {
  const excerpts: SourceExcerpt[] = [];
  let budget = MAX_LINES;
  for (const [file, ranges] of rangesOf(framesOf(capture))) {
    const text = readSource(file.replace(/^file:\/\//, ''));
    if (text === undefined) continue;
    const lines = text.split(/\r?\n/);
    for (const [start, end] of ranges) {
      const slice = lines.slice(start - 1, Math.min(end, lines.length)).slice(0, budget);
      if (slice.length === 0) continue;
      excerpts.push({ file, startLine: start, lines: slice });
      budget -= slice.length;
      if (budget <= 0) return excerpts;
    }
  }
  return excerpts;
}

/** A reader over excerpts: a file's kept lines at their places, blank lines elsewhere; nothing is opened. */
export function excerptReader(excerpts: readonly SourceExcerpt[]): ReadSource {
  const byFile = new Map<string, string[]>();
  for (const excerpt of excerpts) {
    // a capture file is input: skip what is not an excerpt rather than fail on it
    if (typeof excerpt?.file !== 'string' || !Number.isInteger(excerpt.startLine) || !Array.isArray(excerpt.lines))
      continue;
    const key = excerpt.file.replace(/^file:\/\//, '');
    const lines = byFile.get(key) ?? [];
    excerpt.lines.forEach((line, i) => {
      if (excerpt.startLine + i >= 1) lines[excerpt.startLine - 1 + i] = String(line);
    });
    byFile.set(key, lines);
  }
  return (file) => {
    const lines = byFile.get(file);
    return lines ? Array.from(lines, (line) => line ?? '').join('\n') : undefined;
  };
}

/** Lines kept around a table's declaration; and at most this many for all of them. */
const SCHEMA_CONTEXT = 3;
const MAX_SCHEMA_LINES = 1_000;

/** The names a statement may read or write: its words, compared as a plan's table names are. */
function wordsOf(capture: Capture): Set<string> {
  const words = new Set<string>();
  for (const request of capture.requests)
    for (const query of request.queries)
      for (const word of query.sql.match(/["`[]?[\w$]+["`\]]?/g) ?? []) words.add(tableName(word));
  return words;
}

/**
 * The lines declaring the tables the capture's statements name, kept so that
 * a saved capture places a missing index where the first run did.
 */
export function schemaExcerpts(
  capture: Capture,
  declarations: readonly TableDeclaration[],
  readSource: ReadSource,
): SourceExcerpt[] {
  const words = wordsOf(capture);
  const wanted = declarations.filter((d) => d.names.some((name) => words.has(name)));
  const excerpts: SourceExcerpt[] = [];
  let budget = MAX_SCHEMA_LINES;
  for (const declaration of wanted) {
    const lines = readSource(declaration.file)?.split(/\r?\n/);
    if (!lines) continue;
    const start = Math.max(1, declaration.line - SCHEMA_CONTEXT);
    const end = Math.min(lines.length, declaration.endLine + SCHEMA_CONTEXT, start + budget - 1);
    if (end < start) break;
    excerpts.push({ file: declaration.file, startLine: start, lines: lines.slice(start - 1, end) });
    budget -= end - start + 1;
  }
  return excerpts;
}
