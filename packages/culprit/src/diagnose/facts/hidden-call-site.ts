/**
 * The app line behind a query whose stack has no app frame. A handler that
 * returns a library's promise without awaiting it (`return repo.findOne(…)`,
 * Fastify's and Nest's common style) leaves no frame of its own in the
 * query's async stack: V8 records only functions that await. The profile
 * still says which app functions ran for the request, and the source says
 * which of them calls the library's entry point by name. Pure given the reader.
 */
import type { ProfileFunction, SourceLocation } from '../../capture/types.js';
import type { ReadSource } from '../snippets.js';

/** Lines of a function read for the call, from its first line (a handler is short; a file is not). */
const FUNCTION_LINES = 60;

function escapeRegExp(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The function's lines from its head until its braces close (its head line alone for an arrow without a block). */
function bodyLines(lines: readonly string[], head: number): Array<{ line: number; text: string }> {
  const body: Array<{ line: number; text: string }> = [];
  let depth = 0;
  let opened = false;
  for (let at = head; at <= Math.min(lines.length, head + FUNCTION_LINES); at++) {
    const text = lines[at - 1] ?? '';
    body.push({ line: at, text });
    for (const char of text.replace(/(['"`])(?:\\.|(?!\1).)*\1/g, '""').replace(/\/\/.*$/, '')) {
      if (char === '{') {
        depth++;
        opened = true;
      }
      if (char === '}') depth--;
    }
    if ((opened && depth <= 0) || (!opened && at === head && /=>\s*[^\s{]/.test(text))) break;
  }
  return body;
}

/**
 * The one line, in the app functions the profile saw run, that calls `entry` by name (`.findOneOrFail(`);
 * several such lines are narrowed to those naming `table` (`db.article.findOneOrFail`), and stay unknown
 * when that leaves other than one.
 */
export function hiddenCallSite(
  entry: SourceLocation,
  ran: readonly ProfileFunction[],
  readSource: ReadSource,
  table?: string,
): SourceLocation | undefined {
  const name = entry.functionName;
  if (!name || name.startsWith('(')) return undefined;
  const call = new RegExp(`\\.\\s*${escapeRegExp(name)}\\s*(?:<[^>]*>)?\\(`);
  const found = new Map<string, SourceLocation>();
  for (const fn of ran) {
    if (fn.category !== 'app' || fn.line <= 0 || !((fn.calls ?? 0) > 0 || fn.totalMs > 0)) continue;
    const lines = readSource(fn.file.replace(/^file:\/\//, ''))?.split(/\r?\n/);
    if (!lines) continue;
    for (const { line, text } of bodyLines(lines, fn.line)) {
      if (!call.test(text.replace(/\/\/.*$/, ''))) continue;
      found.set(`${fn.file}:${line}`, { file: fn.file, line, column: 1, functionName: fn.name });
    }
  }
  let sites = [...found.values()];
  if (sites.length > 1 && table) {
    const named = new RegExp(escapeRegExp(table.replace(/_/g, '')), 'i');
    sites = sites.filter((site) => named.test(lineText(site, readSource).replace(/_/g, '')));
  }
  return sites.length === 1 ? sites[0] : undefined;
}

function lineText(site: SourceLocation, readSource: ReadSource): string {
  return readSource(site.file.replace(/^file:\/\//, ''))?.split(/\r?\n/)[site.line - 1] ?? '';
}
