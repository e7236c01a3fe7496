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
import type { QueryFact } from './query-facts.js';

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

/** `await ordersForDay(` / `await this.orders.list(`: the function an awaiting line calls, by name. */
const AWAITED_CALL = /\bawait\s+(?:[\w$]+\s*\.\s*)*([A-Za-z_$][\w$]*)\s*\(/;
/** `return db.any(` without an await: the function hands its caller a library's promise. */
const RETURNED_CALL = /\breturn\s+(?!await\b)[\w$.]+\s*(?:<[^>]*>)?\(/;

/**
 * Where an awaited app function writes the statement it returns unawaited: a handler's line awaits
 * `ordersForDay(…)`, whose body is `return db.any(\`SELECT …\`)` with no await of its own, so V8's async
 * stack names the handler and not the function that holds the SQL. The function is the one the profile
 * saw run under that name, and its one returned call is the site. Pure given the reader.
 */
export function returnedCallSite(
  awaiting: SourceLocation,
  ran: readonly ProfileFunction[],
  readSource: ReadSource,
): SourceLocation | undefined {
  const name = AWAITED_CALL.exec(lineText(awaiting, readSource))?.[1];
  if (!name) return undefined;
  const callees = ran.filter((fn) => fn.category === 'app' && fn.name === name && fn.line > 0 && (fn.calls ?? 1) > 0);
  const [callee] = callees;
  if (!callee || callees.some((fn) => fn.file !== callee.file || fn.line !== callee.line)) return undefined;
  const lines = readSource(callee.file.replace(/^file:\/\//, ''))?.split(/\r?\n/);
  if (!lines) return undefined;
  const body = bodyLines(lines, callee.line);
  // a function that awaits keeps its own frame in the stack: one that does not left only its caller there
  if (body.slice(1).some(({ text }) => /\bawait\b/.test(text))) return undefined;
  const returned = body.filter(({ text }) => RETURNED_CALL.test(text.replace(/\/\/.*$/, '')));
  const [site] = returned;
  if (!site || returned.length > 1) return undefined;
  return { file: callee.file, line: site.line, column: 1, functionName: callee.name };
}

/**
 * Where a statement is written: the line that built it (a query builder's chain), the returned call of an
 * awaited function that hands back the library's promise, else the line whose await the stack names.
 */
export function writtenAt(
  query: QueryFact,
  profiled: readonly ProfileFunction[] | undefined,
  readSource: ReadSource | undefined,
): SourceLocation | undefined {
  if (query.builtAt) return query.builtAt;
  const returned =
    query.statementLine && profiled && readSource
      ? returnedCallSite(query.statementLine, profiled, readSource)
      : undefined;
  return returned ?? query.statementLine;
}
