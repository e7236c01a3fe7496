/**
 * Where in the application's source a part of a slow statement is written,
 * when the line the stack names is not the one to change: the function that
 * wraps a filtered column inside a multi-line SQL string, or the line of a
 * query builder's chain that names the index's column. Pure given the reader.
 */
import type { SourceLocation } from '../../capture/types.js';
import { statementAt } from '../facts/data-flow.js';
import { importedFiles } from '../facts/imported-files.js';
import { tableOfAlias } from '../facts/plan-facts.js';
import type { QueryFact } from '../facts/query-facts.js';
import { sqlShape } from '../facts/sql-shape.js';
import { isJsonField, type WrappedColumn, wrappedColumns } from '../facts/wrapped-columns.js';
import type { ReadSource } from '../snippets.js';

/** How far below the call a statement's text may run (a long SQL string in a template literal). */
const STATEMENT_LINES = 40;

/**
 * The line of the source that writes the wrapping: inside a multi-line string below the call
 * (`WHERE DATE(issued_at) = ?`), else above it in the same function, else in a caller that handed
 * the clause down (`clauses = ['DATE(starts_at) = ?']` passed to a repository's generic
 * `findWhere(clause, …)`): the line to change. `callers` are the app frames outside `queried`,
 * outermost first. Undefined when the text is not there (an ORM built the statement).
 */
export function wrappedLine(
  wrapped: WrappedColumn,
  queried: SourceLocation,
  readSource: ReadSource | undefined,
  callers: readonly SourceLocation[] = [],
): SourceLocation | undefined {
  const column = wrapped.column.replace(/[$]/g, '\\$&');
  if (isJsonField(wrapped)) {
    // the field compared, in SQL text or a tagged template (`e.properties ->> ${key} = ${value}`)
    const operator = `\\b${column}[\`"]?\\s*${wrapped.fn.replace(/[>#]/g, '\\$&')}`;
    // the field compared as the statement compares it first (`->> ${key} = ${value}`), else any read of it
    const compared = new RegExp(
      `${operator}\\s*(?:'[^']*'|\\$\\{[^}]*\\}|\\?|\\$\\d+|\\w+)\\s*(?:::\\s*\\w+\\s*)?\\)?\\s*(?:=|<>|!=|<|>|\\bin\\b)`,
      'i',
    );
    const field = new RegExp(operator);
    for (const written of [compared, field]) {
      const found = writtenLine(written, queried, readSource, callers) ?? lineInImports(written, queried, readSource);
      if (found) return found;
    }
    return undefined;
  }
  // the function written around the column, PostgreSQL's cast after it (`placed_at::date`), or a cast of an
  // expression of it that is then compared (`(occurred_at AT TIME ZONE ?)::date >= ?`)
  const written = new RegExp(
    `\\b${wrapped.fn}\\s*\\((?:[^()]*\\b\\w+\\s*\\()*[^()]*\\b${column}\\b|\\b${column}[\`"]?\\s*::|\\([^()]*\\b${column}\\b[^()]*\\)\\s*::\\s*\\w+\\s*(?:[<>=!]|\\bin\\b|\\bbetween\\b)`,
    'i',
  );
  // the same function may also be selected (`ST_Distance_Sphere(…) AS distance`): the line comparing it comes first
  const compared = new RegExp(
    `\\b${wrapped.fn}\\s*\\((?:[^()]*\\b\\w+\\s*\\()*[^()]*\\b${column}\\b.*\\)\\s*(?:[<>=!]|\\bin\\b|\\bbetween\\b|\\blike\\b)|(?:[<>=]|\\bin\\b)\\s*\\b${wrapped.fn}\\s*\\([^]*\\b${column}\\b`,
    'i',
  );
  return writtenLine(compared, queried, readSource, callers) ?? writtenLine(written, queried, readSource, callers);
}

/**
 * The line that compares `column` (`WHERE p.legacy_ref = ?`, a builder's `.onRef('e.track_ref', '=', 't.id')`
 * or `.where('legacy_ref', '=', ref)`), looked for as wrappedLine looks for a wrapping.
 */
export function comparedLine(
  column: string,
  queried: SourceLocation,
  readSource: ReadSource | undefined,
  callers: readonly SourceLocation[] = [],
): SourceLocation | undefined {
  const name = column.replace(/[$]/g, '\\$&');
  const compared = new RegExp(`\\b${name}\\b[\`"'\\]]?\\s*(?:,\\s*['"\`])?(?:=|<=>|<>|!=|\\bin\\b|\\blike\\b)`, 'i');
  return writtenLine(compared, queried, readSource, callers);
}

/** The line that writes what `written` matches: in the statement below the call, else above it or in a caller. */
export function writtenLine(
  written: RegExp,
  queried: SourceLocation,
  readSource: ReadSource | undefined,
  callers: readonly SourceLocation[],
): SourceLocation | undefined {
  const linesOf = (frame: SourceLocation) => readSource?.(frame.file.replace(/^file:\/\//, ''))?.split(/\r?\n/);
  const lines = linesOf(queried);
  if (lines) {
    for (let i = queried.line - 1; i < Math.min(lines.length, queried.line - 1 + STATEMENT_LINES); i++) {
      if (written.test(lines[i] ?? '')) return { ...queried, line: i + 1, column: 1 };
    }
  }
  // a clause written before the call that takes it, in the function itself or in one of its callers
  for (const frame of [queried, ...[...callers].reverse()]) {
    const text = frame === queried ? lines : linesOf(frame);
    if (!text) continue;
    for (let line = frame.line - 1; line >= functionTop(text, frame.line); line--) {
      if (written.test(text[line - 1] ?? '')) return { ...frame, line, column: 1 };
    }
  }
  return undefined;
}

/**
 * The first line of the statement's file that writes what `written` matches, anywhere in it: a part of the
 * statement a helper of the module returns (`order by ${orderBy(sort)}`, the helper's `case` writing the key).
 */
export function lineInFile(
  written: RegExp,
  queried: SourceLocation,
  readSource: ReadSource | undefined,
): SourceLocation | undefined {
  const lines = readSource?.(queried.file.replace(/^file:\/\//, ''))?.split(/\r?\n/) ?? [];
  const at = lines.findIndex((line) => written.test(line));
  return at < 0 ? undefined : { file: queried.file, line: at + 1, column: 1 };
}

/**
 * The first line that writes what `written` matches in a module the statement's file imports: a helper of
 * another module that returns a part of the statement (`propertyConditions(filters)` in `lib/filters`).
 */
export function lineInImports(
  written: RegExp,
  queried: SourceLocation,
  readSource: ReadSource | undefined,
): SourceLocation | undefined {
  if (!readSource) return undefined;
  for (const file of importedFiles(queried.file, readSource)) {
    const at = lineInFile(written, { file, line: 1, column: 1 }, readSource);
    if (at) return at;
  }
  return undefined;
}

/** The app frames that called the one a statement is named at, outermost first. */
export function callersOf(query: QueryFact, queried: SourceLocation): SourceLocation[] {
  const at = query.chain.findIndex((frame) => frame.file === queried.file && frame.line === queried.line);
  return at >= 0 ? query.chain.slice(0, at) : query.chain;
}

/** The column of `table` the statement's filter wraps in a function, if any (the first one). */
export function wrappedOn(table: string, sql: string, statementTable: string | undefined): WrappedColumn | undefined {
  const own = (wrapped: WrappedColumn): boolean =>
    wrapped.qualifier === undefined
      ? statementTable?.toLowerCase() === table.toLowerCase() || sqlShape(sql).joins === 0
      : tableOfAlias(sql, wrapped.qualifier).toLowerCase() === table.toLowerCase();
  return wrappedColumns(sql).find(own);
}

/** A search written with LIKE in a builder (`.where('email', 'ilike', …)`, `like(users.email, …)`). */
export const LIKE = /\bi?like\b/i;

/** How many lines a builder chain may run over from where it was made to where it was awaited. */
const CHAIN_LINES = 30;

const indentOf = (text: string): number => /^\s*/.exec(text)?.[0].length ?? 0;

/**
 * The first line of a chain ending at `line`, run where it is written (`db.select({…})` … `.all()`, a
 * synchronous driver): up over lines that continue it (`.where(…)`) and over the arguments it opens
 * (`.select({` … `})`), to the line that starts it.
 */
export function chainHead(lines: readonly string[], line: number): number {
  let depth = 0;
  let at = line;
  while (at > Math.max(1, line - CHAIN_LINES)) {
    const text = lines[at - 1] ?? '';
    for (const char of text.replace(/(['"`])(?:\\.|(?!\1).)*\1/g, '""')) {
      if (char === ')' || char === '}' || char === ']') depth++;
      else if (char === '(' || char === '{' || char === '[') depth--;
    }
    if (depth <= 0 && !/^\s*\./.test(text)) return at;
    at--;
  }
  return at;
}

/**
 * The lines of a builder's chain, 1-based and inclusive: from where it was made to where it was awaited
 * in the same function, or, when another function awaits it (`return query.orderBy(…)` handed to the
 * route), from the head of the chain that made it to the end of the function that made it. A chain run
 * synchronously where it is written (no builder site of its own) spans from its head to its last call.
 */
function chainSpan(query: QueryFact, at: SourceLocation, lines: readonly string[]): [number, number] | undefined {
  const { builtAt, statementLine } = query;
  if (!builtAt) {
    const head = chainHead(lines, at.line);
    return head < at.line ? [head, at.line] : undefined;
  }
  if (statementLine && statementLine.file === builtAt.file && statementLine.line > builtAt.line) {
    return statementLine.line - builtAt.line <= CHAIN_LINES ? [builtAt.line, statementLine.line] : undefined;
  }
  let from = builtAt.line;
  while (from > 1 && /^\s*\./.test(lines[from - 1] ?? '')) from--;
  const own = indentOf(lines[from - 1] ?? '');
  let to = builtAt.line;
  while (to < Math.min(lines.length, builtAt.line + CHAIN_LINES)) {
    const next = lines[to] ?? '';
    // the closing brace of the function the builder was made in
    if (/^\s*\}/.test(next) && indentOf(next) < own) break;
    to++;
  }
  return to > from ? [from, to] : undefined;
}

/** The first line of the body of the function holding `line` (by indentation), at most CHAIN_LINES above it. */
function functionTop(lines: readonly string[], line: number): number {
  const own = indentOf(lines[line - 1] ?? '');
  let top = line;
  while (top > Math.max(1, line - CHAIN_LINES)) {
    const above = lines[top - 2] ?? '';
    if (above.trim() !== '' && indentOf(above) < own) break;
    top--;
  }
  return top;
}

/**
 * A line that filters or sorts (`.where(`, `.orderBy(`, `eq(t.ownerId, …)`, `where: {`, `order: [`), as
 * opposed to a select list that names the same column (`ownerId: t.ownerId,`).
 */
const CONDITION =
  /\.\s*(?:(?:and|or)?where\w*|orderBy\w*|order|filter|having|sort\w*)\s*\(|\b(?:eq|ne|gt|gte|lt|lte|like|ilike|inArray|between|asc|desc)\s*\(|\b(?:where|order)\s*:/i;

/**
 * The line of a builder chain that names the index's column (`.orderBy('created_at', 'desc')` three
 * lines below `knex('events').select(…)`): the sort or the filter the index serves is written there.
 * When the plan sorts rows for a page (a LIMIT), the sorted column first: reading in its order is what
 * lets the page stop early. Undefined when the statement is one line, or the source does not name it.
 */
export function chainLine(
  query: QueryFact,
  columns: readonly string[],
  sorted: boolean,
  readSource: ReadSource | undefined,
  /** What the line must also say (a wildcard search's LIKE), beside the column. */
  also?: RegExp,
): SourceLocation | undefined {
  const at = query.builtAt ?? query.statementLine;
  if (!at || columns.length === 0) return undefined;
  const lines = readSource?.(at.file.replace(/^file:\/\//, ''))?.split(/\r?\n/);
  const span = lines && chainSpan(query, at, lines);
  if (!lines || !span) return undefined;
  const orderBy = /\border\s+by\s+(.*?)(?:\blimit\b|\boffset\b|$)/i.exec(query.sql)?.[1] ?? '';
  const paged = sorted && /\blimit\b/i.test(query.sql);
  const inOrder = (column: string): boolean => new RegExp(`\\b${column.replace(/[$]/g, '\\$&')}\\b`, 'i').test(orderBy);
  const ranked = paged ? [...columns.filter(inOrder), ...columns.filter((c) => !inOrder(c))] : columns;
  // per column, the chain's conditions, then the conditions its function gathers above it
  // (`if (filter.owner) conditions.push(eq(t.ownerId, …))`, handed to the chain as one `.where(where)`);
  // failing those, any line of the chain that names a column
  const above: [number, number] = [functionTop(lines, span[0]), span[0] - 1];
  const searches = [
    ...ranked.flatMap((column) => [
      { column, lines: span, must: CONDITION },
      { column, lines: above, must: CONDITION },
    ]),
    ...ranked.map((column) => ({ column, lines: span, must: undefined })),
  ];
  for (const {
    column,
    lines: [from, to],
    must,
  } of searches) {
    // the column as the chain writes it: `created_at` in a string, or an entity's `createdAt`
    const camel = column.replace(/_([a-z])/g, (_all, letter: string) => letter.toUpperCase());
    const named = new RegExp(`\\b(?:${[column, camel].map((name) => name.replace(/[$]/g, '\\$&')).join('|')})\\b`);
    for (let line = to; line >= from; line--) {
      const text = lines[line - 1] ?? '';
      if (line === at.line || !named.test(text) || (also && !also.test(text)) || (must && !must.test(text))) continue;
      return { ...at, line, column: 1 };
    }
  }
  return undefined;
}

/**
 * The line of the call at `queried` that asks for rows to be skipped (`skip: (page - 1) * size`, `.offset(…)`,
 * `OFFSET $2`): where a page by OFFSET is written. Undefined when the call does not say.
 */
export function offsetLine(queried: SourceLocation, readSource: ReadSource | undefined): SourceLocation | undefined {
  const lines = readSource?.(queried.file.replace(/^file:\/\//, ''))?.split(/\r?\n/);
  if (!lines) return undefined;
  const call = statementAt(lines, queried.line).trimEnd().split('\n');
  const at = call.findIndex((text) => /\b(?:offset|skip)\b/i.test(text));
  return at < 0 ? undefined : { ...queried, line: queried.line + at, column: 1 };
}
