import type { Finding, SourceLocation, WideColumn } from '../../capture/types.js';
import { formatChain } from '../blame.js';
import { clampShare, formatBytes, formatCount, formatMs, formatPlace, plural } from '../evidence.js';
import { lineKey } from '../facts/app-frames.js';
import type { QueryFact } from '../facts/query-facts.js';
import { answered, type RequestFacts } from '../facts/request-facts.js';
import { requestTimeMs } from '../facts/request-time.js';
import { sqlShape } from '../facts/sql-shape.js';
import { type Rule, severityFor } from '../rule.js';
import { settings } from '../settings.js';
import type { ReadSource } from '../snippets.js';
import { noLineReason } from './excess-rows.js';
import { chainHead } from './statement-lines.js';

/**
 * Wide columns (document bodies, rendered HTML, images) read by a statement
 * whose response is far smaller than they are: `SELECT *`, a query builder's
 * `.select('*')` or an ORM's default entity load, for a list that shows a few
 * small fields. The query is slow because of what it reads, not for want of
 * an index, so the fix is the statement's column list: blamed where the
 * statement is written (the repository's line, not the service above it).
 * A response that carries the columns (a document's download) is as large
 * as they are, and is never reported.
 */
export const wideColumns: Rule = {
  id: 'wide-columns',
  kind: 'cause',
  describe: `a statement reads >= ${formatBytes(settings.wideReadMinBytes)} of wide columns (>= 1 KB a value), >= ${settings.wideReadPerResponseByte}x the response's bytes, so the response cannot carry them`,
  run(facts) {
    return facts.requests.filter(answered).flatMap((request) => findingsFor(request, facts.readSource));
  },
};

/** One statement shape from one line, over the request's queries (an N+1's statements add up). */
interface WideRead {
  query: QueryFact;
  statements: number;
  rows: number;
  durationMs: number;
  bytes: number;
  wideBytes: number;
  wide: WideColumn[];
  narrow: string[];
}

function findingsFor(request: RequestFacts, readSource: ReadSource | undefined): Finding[] {
  const { request: record } = request;
  // a HEAD or a 304 sends no body whatever it read: the bytes say nothing of what the client gets
  if (record.method === 'HEAD' || record.status === 304) return [];
  return [...readsOf(request.queries).values()]
    .filter(
      (read) =>
        read.wideBytes >= settings.wideReadMinBytes &&
        read.wideBytes >= settings.wideReadPerResponseByte * Math.max(record.bytes, 1),
    )
    .map((read) => describe(request, read, readSource));
}

function readsOf(queries: readonly QueryFact[]): Map<string, WideRead> {
  const reads = new Map<string, WideRead>();
  for (const query of queries) {
    const wide = query.read?.wide;
    if (!query.read || !wide?.length || !sqlShape(query.sql).select) continue;
    const line = query.builtAt ?? query.statementLine;
    const key = `${query.sql}\u0000${line ? lineKey(line) : ''}`;
    let read = reads.get(key);
    if (!read) {
      read = { query, statements: 0, rows: 0, durationMs: 0, bytes: 0, wideBytes: 0, wide, narrow: [] };
      if (query.read.narrow) read.narrow = query.read.narrow;
      reads.set(key, read);
    }
    const widePerRow = wide.reduce((sum, column) => sum + column.bytes, 0);
    read.statements += query.count;
    read.rows += query.rows;
    read.durationMs += query.durationMs;
    read.bytes += query.read.bytes;
    read.wideBytes += Math.min(query.read.bytes, widePerRow * query.rows);
  }
  return reads;
}

function describe(request: RequestFacts, read: WideRead, readSource: ReadSource | undefined): Finding {
  const { request: record, endpoint } = request;
  const { query } = read;
  const star = SQL_SELECTS_ALL.test(query.sql);
  // a query builder's statement is written where the builder was made, below the line that awaited it
  const awaited = query.builtAt ?? query.statementLine;
  const names = read.wide.map((column) => column.name);
  // an ORM's statement may select every column of a subquery (`select * from …` inside a relation's
  // aggregate): where no line chose every column, the line naming the wide column is the one to change
  const allChosenAt = star && awaited ? selectAllAbove(awaited, readSource) : undefined;
  const namedAt = awaited && !allChosenAt ? namedInCall(awaited, names, readSource) : undefined;
  const location = allChosenAt ?? namedAt ?? awaited;
  const chain = query.builtAt ? [...query.chain, query.builtAt] : query.chain;
  const columns = names.length === 1 ? `column ${names[0]}` : `columns ${listed(names)}`;
  // the statement's time goes to the wide values (read, sent, decoded) in the share of the bytes they are
  const share = read.wideBytes / Math.max(read.bytes, 1);
  const requestMs = requestTimeMs(record);
  const savesMs = Math.min(requestMs, read.durationMs * share * 0.9);
  const perStatement = read.statements > 1 ? ` over ${plural(read.statements, 'statement')}` : '';
  const finding: Finding = {
    endpoint,
    rule: wideColumns.id,
    severity: severityFor(savesMs, requestMs),
    title: `${endpoint} reads ${formatBytes(read.wideBytes)} of the wide ${columns} to send ${formatBytes(record.bytes)}: the query at ${formatPlace(location)} selects ${star && !namedAt ? 'every column' : 'them'} for ${plural(read.rows, 'row')}${perStatement} (${formatMs(read.durationMs)})`,
    impact: clampShare(savesMs / Math.max(requestMs, 1e-9)),
    savesMs,
    evidence: [
      { label: 'query', value: query.sql },
      {
        label: 'wide columns',
        value: `${read.wide.map((column) => `${column.name} ≈${formatBytes(column.bytes)}`).join(', ')} a row (sampled on a first row)`,
      },
      {
        label: 'bytes read vs sent',
        value: `≈${formatBytes(read.bytes)} read (≈${formatBytes(read.wideBytes)} of them wide), ${formatBytes(record.bytes)} sent: ${formatCount(read.wideBytes / Math.max(record.bytes, 1))}x`,
      },
      {
        label: 'query time',
        value: `${formatMs(read.durationMs)} for ${plural(read.rows, 'row')}${perStatement} (request ${formatMs(record.wallMs)})`,
      },
      ...(read.narrow.length > 0 ? [{ label: 'other columns', value: read.narrow.join(', ') }] : []),
      ...(chain.length > 1 ? [{ label: 'called through', value: formatChain(chain) }] : []),
    ],
    suggestion: suggestionFor(names, read.narrow),
  };
  if (location) finding.location = location;
  else finding.noAppLine = noLineReason(query);
  return finding;
}

/** How many lines the call that ran a statement may span (an ORM's options object, a SQL text). */
const CALL_LINES = 40;

/**
 * The line of the call that ran the statement which names a wide column: an ORM's relation loaded with
 * every row (`with: { memberships: true }`, `include: ['memberships']`), a column in a SQL text's list.
 * That is the line to change; the call's first line only starts it.
 */
function namedInCall(
  ran: SourceLocation,
  names: readonly string[],
  readSource: ReadSource | undefined,
): SourceLocation | undefined {
  const lines = readSource?.(ran.file.replace(/^file:\/\//, ''))?.split(/\r?\n/);
  if (!lines) return undefined;
  const named = new RegExp(`\\b(?:${names.map((name) => name.replace(/[$]/g, '\\$&')).join('|')})\\b`);
  let depth = 0;
  for (let i = ran.line - 1; i < Math.min(lines.length, ran.line - 1 + CALL_LINES); i++) {
    const text = lines[i] ?? '';
    if (i > ran.line - 1 && named.test(text)) return { ...ran, line: i + 1, column: 1 };
    for (const char of text) {
      if (char === '(' || char === '{' || char === '[') depth++;
      else if (char === ')' || char === '}' || char === ']') depth--;
    }
    if (depth <= 0 && i >= ran.line - 1) return undefined;
  }
  return undefined;
}

/** How far above the line that ran a builder its `selectAll()` may be written. */
const BUILDER_LINES = 30;
const RUNS_BUILDER =
  /\b([A-Za-z_$][\w$]*)\s*\.\s*(?:execute\w*|getMany|getOne|getRawMany|findAll|all|get|iterate|first|then)\s*\(|\bawait\s+([A-Za-z_$][\w$]*)\s*[;)]/;
/** A statement kept in a variable and passed to the driver: `pool.query(listSql, [id])`. */
const STATEMENT_ARGUMENT = /\.\s*(?:query|execute|prepare|raw|all|get)\s*\(\s*([A-Za-z_$][\w$]*)\s*[,)]/;
const SELECTS_ALL = /\.\s*selectAll\s*\(|\.\s*select\s*\(\s*(?:['"`]\*['"`])?\s*\)/;

/**
 * The line that chose every column, in the chain that ran the statement or,
 * when the statement ran from a builder kept in a variable (`let query = db.selectFrom('articles').selectAll()`,
 * filters added, then `await query.execute()`): the select list is changed
 * there, not where the builder ran. Undefined when the source does not say.
 */
function selectAllAbove(ran: SourceLocation, readSource: ReadSource | undefined): SourceLocation | undefined {
  const lines = readSource?.(ran.file.replace(/^file:\/\//, ''))?.split(/\r?\n/);
  const runLine = lines?.[ran.line - 1];
  if (!lines || runLine === undefined || SELECTS_ALL.test(runLine) || SQL_SELECTS_ALL.test(runLine)) return undefined;
  // the chain that ran, written over the lines above (`return db.selectFrom(…)` … `.selectAll(…)` … `.execute()`)
  if (/^\s*\./.test(runLine)) {
    for (let line = ran.line - 1; line >= chainHead(lines, ran.line); line--) {
      if (SELECTS_ALL.test(lines[line - 1] ?? '')) return { ...ran, line, column: 1 };
    }
  }
  const builder = RUNS_BUILDER.exec(runLine);
  const names = [builder?.[1] ?? builder?.[2], STATEMENT_ARGUMENT.exec(runLine)?.[1]];
  for (const name of names) {
    const line = name ? assignedSelectAll(lines, ran.line, name) : undefined;
    if (line !== undefined) return { ...ran, line, column: 1 };
  }
  return undefined;
}

/** The 1-based line above `runLine` that assigns `name` a statement or builder choosing every column. */
function assignedSelectAll(lines: readonly string[], runLine: number, name: string): number | undefined {
  const assigned = new RegExp(`(?:^|[^\\w$.])${name.replace(/\$/g, '\\$')}\\s*=(?!=)`);
  // a statement prepared once (`const byCategory = db.prepare(\`SELECT * FROM …\`)`) sits anywhere above its
  // use in the file, most often at its top; a builder kept in a variable is filled in just above its run
  for (let i = runLine - 2; i >= 0; i--) {
    const text = lines[i] ?? '';
    if (!assigned.test(text)) continue;
    const chosen = i >= runLine - 1 - BUILDER_LINES ? selectAllInChain(lines, i) : undefined;
    if (chosen !== undefined) return chosen + 1;
    // a builder reassigned with a filter (`query = query.where(…)`) chose its columns further up
    const star = starInStatement(lines, i);
    if (star !== undefined) return star + 1;
  }
  return undefined;
}

/**
 * The 0-based line of `.selectAll()` in the builder chain assigned at line `from`
 * (0-based): on that line or on the `.`-led lines that continue it
 * (`let query = db` / `.selectFrom('p')` / `.selectAll('p')`).
 */
function selectAllInChain(lines: readonly string[], from: number): number | undefined {
  for (let i = from; i < Math.min(lines.length, from + BUILDER_LINES); i++) {
    const text = lines[i] ?? '';
    if (i > from && !/^\s*\./.test(text)) return undefined;
    if (SELECTS_ALL.test(text)) return i;
  }
  return undefined;
}

/** How many lines a statement's SQL text, assigned to a variable, may run over. */
const PREPARED_LINES = 12;
/** `SELECT *`, `select t.*`, and a builder's quoted `select "articles".*` / `` select `articles`.* ``. */
const SQL_SELECTS_ALL = /\bselect\s+(?:distinct\s+)?(?:[`"[]?[A-Za-z_]\w*[`"\]]?\.)?\*/i;

/** The 0-based line of `SELECT *` in the SQL text assigned at line `from` (0-based), before the next statement. */
function starInStatement(lines: readonly string[], from: number): number | undefined {
  for (let i = from; i < Math.min(lines.length, from + PREPARED_LINES); i++) {
    const text = lines[i] ?? '';
    if (SQL_SELECTS_ALL.test(text)) return i;
    // the assignment ended (a `;` or a closing call at the line's end) without choosing every column here
    if (i > from && /[;)]\s*$/.test(text) && !/^\s*[`'"]/.test(text)) return undefined;
  }
  return undefined;
}

function suggestionFor(wide: readonly string[], narrow: readonly string[]): string {
  const keep = narrow.length > 0 ? ` (of ${listed(narrow)})` : '';
  return `Select only the columns the response needs${keep} instead of every column, and load ${listed(wide)} only where they are shown (a detail route) or defer them: Knex .select('id', 'title'), Drizzle db.select({ … }) or columns: { ${wide[0]}: false }, Prisma select/omit, TypeORM select: [...], Sequelize attributes: { exclude: [...] }. If the code reads them for something else (an excerpt, a search), do that in SQL (left(${wide[0]}, 200)). A relation loaded with every row (an ORM's with/include) that the response only counts is counted in SQL instead.`;
}

function listed(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
