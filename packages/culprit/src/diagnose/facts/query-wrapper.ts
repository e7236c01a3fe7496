/**
 * Is a query's innermost application frame a data-access wrapper: a
 * function whose whole body runs this one query and returns what it got (a
 * repository's `listAll()`, `findAll()`)? Such a function loads what it was
 * written to load; the line that chose to call it (and then filtered the
 * rows, or printed them) is the one to change. Read from the source, so it
 * errs towards "not a wrapper": a function it cannot delimit, or one that
 * does anything else, keeps the blame. Pure.
 */
import type { SourceLocation } from '../../capture/types.js';
import { codeOfLine } from '../schema/source-text.js';
import type { ReadSource } from '../snippets.js';
import { statementAt } from './data-flow.js';

/** A wrapper is short: the query statement (≤ 8 lines, statementAt) and a return. */
const MAX_BODY_LINES = 14;
const FUNCTION_HEADER =
  /(?:\bfunction\b[^{]*|=>\s*|^\s*(?:(?:public|private|protected|static|async|override)\s+)*[\w$]+\s*(?:<[^>]*>)?\s*\([^)]*\)\s*(?::\s*[^{]+)?)\{\s*$/;
/** `new Promise((resolve, reject) => {`: a block that runs at once, inside the function around it. */
const PROMISE_EXECUTOR =
  /\bnew\s+Promise\s*\(\s*(?:async\s*)?(?:\([^)]*\)|[\w$]+)\s*=>\s*\{\s*$|\bnew\s+Promise\s*\(\s*function\b[^{]*\{\s*$/;
const CONTROL_HEADER = /^\s*(?:\}\s*)?(?:if|for|while|switch|catch|else|try|do)\b/;

/** The line (1-based) opening the block that holds `line`, looking at most MAX_BODY_LINES up. */
function blockStart(lines: readonly string[], line: number): number | undefined {
  let depth = 0;
  for (let at = line - 1; at >= Math.max(1, line - MAX_BODY_LINES); at--) {
    const text = codeOfLine(lines[at - 1] ?? '');
    for (let i = text.length - 1; i >= 0; i--) {
      if (text[i] === '}') depth++;
      if (text[i] === '{' && --depth < 0) return at;
    }
  }
  return undefined;
}

/** The line closing the block opened at `start`. */
function blockEnd(lines: readonly string[], start: number): number | undefined {
  let depth = 0;
  for (let at = start; at <= Math.min(lines.length, start + MAX_BODY_LINES + 1); at++) {
    for (const char of codeOfLine(lines[at - 1] ?? '')) {
      if (char === '{') depth++;
      if (char === '}' && --depth === 0) return at;
    }
  }
  return undefined;
}

/**
 * The first line of the statement that holds `line`, walking statements from
 * `from`: a stack names the line of the call, which in a chain written over
 * several lines (`return stmt(…)` then `.all();`) is not the statement's first.
 */
function statementHolding(lines: readonly string[], from: number, line: number, stop: number): number {
  let at = from;
  while (at < line) {
    const length = statementAt(lines, at, stop).trimEnd().split('\n').length;
    if (at + length > line) return at;
    at += length;
  }
  return line;
}

/** True when `frame`'s function does nothing but run the query at `frame.line` and return its result. */
export function onlyRunsTheQuery(lines: readonly string[], frame: SourceLocation): boolean {
  const start = blockStart(lines, frame.line);
  if (start === undefined) return false;
  const header = lines[start - 1] ?? '';
  if (CONTROL_HEADER.test(header) || !FUNCTION_HEADER.test(codeOfLine(header))) return false;
  const end = blockEnd(lines, start);
  if (end === undefined) return false;
  const first = statementHolding(lines, start + 1, frame.line, end);
  const query = statementAt(lines, first, end);
  const queryEnd = first + query.trimEnd().split('\n').length - 1;
  const rest: string[] = [];
  for (let at = start + 1; at < end; at++) {
    if (at >= first && at <= queryEnd) continue;
    const text = codeOfLine(lines[at - 1] ?? '').trim();
    if (text !== '' && !text.startsWith('/*') && !text.startsWith('*')) rest.push(text);
  }
  if (/^\s*return\b/.test(lines[first - 1] ?? '')) return rest.length === 0;
  // `const { rows } = await pool.query(…); return rows;`: what the query bound, returned as it is
  return rest.length === 1 && /^return\s+[\w$.[\]]+;?$/.test(rest[0] as string);
}

/** `(text, params)`, `async (sql, ...rest) =>`: the names a function header declares (plain, defaulted or rest). */
function parameterNames(header: string): string[] {
  const list =
    /\(([^()]*)\)\s*(?::[^={]+)?(?:=>|\{)/.exec(header)?.[1] ?? /^\s*(?:async\s+)?([\w$]+)\s*=>/.exec(header)?.[1];
  if (list === undefined) return [];
  return list
    .split(',')
    .map((part) => /^\s*(?:\.\.\.)?([\w$]+)/.exec(part)?.[1])
    .filter((name): name is string => name !== undefined);
}

/** A later argument named as a statement (`sql1`, `rawSql`), which a helper's connection may precede. */
const STATEMENT_NAME = /^(?:sql|query|statement|stmt)\d*$/i;
const STATEMENT_SUFFIX = /(?:Sql|Statement)$/;

/**
 * The arguments of the call at the start of `call` that may be its statement: the first, and when the
 * first is a plain name too (`queryInTransaction(connection, sql1, params)`: a transaction helper takes
 * its connection first), a later one named as a statement. By name only after the first, so
 * `db.query(SQL_BY_ID, id)` or `db.query('select …', sqlParams)` keeps its own statement.
 */
function statementArguments(call: string): string[] {
  const list = /^[\w$]*\s*\(([^()]*)\)?/.exec(call)?.[1];
  if (list === undefined) return [];
  const [first, ...rest] = list.split(',').map((part) => /^\s*([\w$]+)\s*$/.exec(part)?.[1]);
  if (first === undefined) return [];
  const named = rest.filter(
    (name): name is string => name !== undefined && (STATEMENT_NAME.test(name) || STATEMENT_SUFFIX.test(name)),
  );
  return [first, ...named];
}

/**
 * True when the call at `frame` hands the driver, as its statement, a parameter of the function it is in:
 * `query(text, params) { return pool.query(text, params); }`. Such a helper runs whatever SQL it is given, so
 * its callers write the statement, even when the request used it for one statement only.
 */
export function passesStatementThrough(lines: readonly string[], frame: SourceLocation): boolean {
  const text = lines[frame.line - 1];
  if (text === undefined) return false;
  const candidates = statementArguments(text.slice(Math.max(0, frame.column - 1)));
  if (candidates.length === 0) return false;
  const declares = (names: readonly string[]): boolean => candidates.some((name) => names.includes(name));
  // an arrow whose body is the call itself: its parameters are on the same line, before the call
  const before = text.slice(0, Math.max(0, frame.column - 1));
  if (/=>\s*(?:await\s+)?[\w$.]*$/.test(before)) return declares(parameterNames(before));
  // out of the blocks the call sits in (`try {`, `if (…) {`, a promise's executor, which runs inside the
  // function that makes the promise: `return new Promise((resolve, reject) => { pool.query(sql, …) })`)
  let start = blockStart(lines, frame.line);
  for (let depth = 0; start !== undefined && depth < 3; depth++) {
    const header = codeOfLine(lines[start - 1] ?? '');
    const passedThrough = !CONTROL_HEADER.test(header) && !PROMISE_EXECUTOR.test(header);
    if (passedThrough) return FUNCTION_HEADER.test(header) && declares(parameterNames(header));
    start = blockStart(lines, start);
  }
  return false;
}

/**
 * Where to blame a query whose line was found at `location`: its caller when
 * `location` is the query's innermost application frame and that function is
 * a wrapper (never past the outermost app frame); else `location`.
 */
export function outOfWrapper(
  chain: readonly SourceLocation[],
  location: SourceLocation | undefined,
  readSource: ReadSource | undefined,
): SourceLocation | undefined {
  const innermost = chain.length - 1;
  const frame = chain[innermost];
  if (!location || !readSource || innermost < 1 || !frame) return location;
  if (frame.file !== location.file || frame.line !== location.line) return location;
  const lines = readSource(location.file.replace(/^file:\/\//, ''))?.split(/\r?\n/);
  return lines && onlyRunsTheQuery(lines, location) ? chain[innermost - 1] : location;
}
