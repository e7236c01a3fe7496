import type { Construction, Finding } from '../../capture/types.js';
import { divergingFrame, formatChain } from '../blame.js';
import { clampShare, formatCount, formatLocation, formatMs, formatPlace, plural } from '../evidence.js';
import { isAppFrame } from '../facts/app-frames.js';
import { chainEnd } from '../facts/multiplied-joins.js';
import { coveredMs } from '../facts/operation-facts.js';
import { hotOwnCodeShare } from '../facts/own-hot-code.js';
import { readPlan } from '../facts/plan-facts.js';
import type { QueryFact } from '../facts/query-facts.js';
import { outOfWrapper } from '../facts/query-wrapper.js';
import { answered, type RequestFacts } from '../facts/request-facts.js';
import { requestTimeMs } from '../facts/request-time.js';
import { type SqlShape, sqlShape } from '../facts/sql-shape.js';
import { noteQuerySite } from '../query-site.js';
import { atLeast, type Rule, severityFor } from '../rule.js';
import type { TableDeclaration } from '../schema/declaration.js';
import { settings } from '../settings.js';
import type { ReadSource } from '../snippets.js';
import { eagerJoinLine, joinLine, tableLine } from './join-lines.js';

/** Rows read per row returned past which a statement's wait is its read, not the sending of its rows. */
const READ_PER_RETURNED = 10;

/**
 * The share of a statement's wait that its returned rows account for: all of it, unless its plan reads a
 * table whole for estimated rows many times the ones returned (MySQL/MariaDB `type=ALL … rows=990640`
 * for 2,735 grouped rows), where the read is the wait and an index, not a smaller answer, shortens it.
 */
function sendingShare(query: QueryFact, rows: number): number {
  if (!query.plan) return 1;
  const read = Math.max(0, ...Object.values(readPlan(query.driver, query.plan, query.sql).scannedRows ?? {}));
  return read > READ_PER_RETURNED * rows ? rows / read : 1;
}

/**
 * Rows loaded far beyond what the response carries: the story's whole-table
 * load, pagination or filtering done in JavaScript, and joins whose rows
 * multiply. Row counts are exact for every driver, so this holds whether or
 * not the ORM's entities are visible to constructor counting; constructions
 * of the app's own classes are added as evidence when they match.
 */
export const excessRows: Rule = {
  id: 'excess-rows',
  kind: 'cause',
  describe: `a query returns >= ${formatCount(settings.excessRowsMin)} rows and >= ${settings.excessRowsPerItem}x the items the response carries (whole-table load, over-fetch, join fan-out)`,
  run(facts) {
    // the profile is per endpoint only when one endpoint was diagnosed
    const only = facts.requests.length === 1 ? facts.requests[0] : undefined;
    const ownHotShare = only ? hotOwnCodeShare(facts.cpu, only) : 0;
    return facts.requests
      .filter(answered)
      .flatMap((request) => findingsFor(request, ownHotShare, facts.readSource, facts.schema ?? []));
  },
};

function findingsFor(
  request: RequestFacts,
  ownHotShare: number,
  readSource: ReadSource | undefined,
  schema: readonly TableDeclaration[],
): Finding[] {
  // Without a JSON body there is no item count to hold rows against (a CSV export needs every row).
  if (request.request.items === undefined) return [];
  const needed = Math.max(request.items, 1);
  const suspects = request.queries.filter(
    (q) =>
      sqlShape(q.sql).select &&
      request.request.bytes < (q.rows / q.count) * bytesPerRowSent(q.sql) &&
      q.rows / q.count >= settings.excessRowsMin &&
      q.rows / q.count >= settings.excessRowsPerItem * needed,
  );
  return suspects.map((query) => describe(request, query, needed, ownHotShare, readSource, schema));
}

/** Response bytes per row from which the response carries the statement's rows: more where joins multiply them. */
export function bytesPerRowSent(sql: string): number {
  return sqlShape(sql).joins >= 2 ? settings.bytesPerJoinedRow : settings.bytesPerLoadedRow;
}

/** The app class whose constructions match the rows, the story's "231,590 model instances". */
function matchingConstruction(request: RequestFacts, rows: number): Construction | undefined {
  return request.request.constructions
    .filter((c) => (!c.location || isAppFrame(c.location)) && c.count >= rows / 2 && c.count <= rows * 3)
    .sort((a, b) => Math.abs(a.count - rows) - Math.abs(b.count - rows))[0];
}

function describe(
  request: RequestFacts,
  query: QueryFact,
  needed: number,
  ownHotShare: number,
  readSource: ReadSource | undefined,
  schema: readonly TableDeclaration[],
): Finding {
  const { request: record, endpoint } = request;
  const requestMs = requestTimeMs(record);
  const rows = query.rows / query.count;
  const shape = sqlShape(query.sql);
  // a repository's listAll() loads what it was written to load: the line that called it is the choice to change
  const called = outOfWrapper(query.chain, divergingFrame(query, request.queries), readSource);
  const built = matchingConstruction(request, rows);
  const returned = plural(request.items, 'item');
  // joins in a chain (albums, their tracks, the tracks' plays) multiply nothing: the last one's rows are loaded
  const chained = shape.joins >= 2 ? chainEnd(query.sql) : undefined;
  const kind =
    !shape.filtered && !shape.limited
      ? 'whole-table-load'
      : shape.joins >= 2 && !chained
        ? 'join-fan-out'
        : 'over-fetch';
  // joins that multiply each other are split where the call names them; a chain's rows come from its last
  const written =
    kind === 'join-fan-out' && called
      ? joinLine(query.sql, called, readSource)
      : chained && called
        ? tableLine(chained, called, readSource)
        : undefined;
  // joins no call names come from the entity: a collection it declares eager is joined by every find
  const eager =
    kind === 'join-fan-out' && !written ? eagerJoinLine(query.sql, shape.table, schema, readSource) : undefined;
  const location = written ?? eager ?? called;
  const place = formatPlace(called);
  const loads = `runs a query that loads ${formatCount(rows)} rows${chained ? ` of ${chained} (joined through ${shape.table ?? 'its parents'})` : shape.table ? ` of ${shape.table}` : ''}`;
  let title: string;
  if (built)
    title = `${endpoint} constructs ${formatCount(built.count)} ${built.className} objects to return ${returned}: ${place} ${loads}`;
  else if (kind === 'join-fan-out')
    title = `${endpoint} reads ${formatCount(rows)} joined rows to return ${returned}: the ${shape.joins} joins of the query at ${place} multiply each other's rows`;
  else if (kind === 'whole-table-load')
    title = `${endpoint} loads ${wholeTable(query.sql, shape, rows)} to return ${returned}: ${place}`;
  else
    title = `${endpoint} loads ${formatCount(rows)} rows to return ${returned}: ${place} ${loads}, then keeps ${formatCount(needed)}`;

  const rowsShare = query.rows / Math.max(request.rows, 1);
  const wasted = 1 - needed / Math.max(rows, 1);
  const ownHotMs = record.cpuMs * ownHotShare;
  // CPU spent while HTTP calls or Redis round trips were out (making them, reading their replies) is theirs:
  // 2,000 rows each sent to a rating service spent the request's CPU in its HTTP client, not on the rows
  const rowsCpuMs = Math.min((record.cpuMs - ownHotMs) * rowsShare, Math.max(0, requestMs - coveredMs(request.remote)));
  // the query's wait and the CPU its rows cost, each counted once (see request-time.ts)
  // a statement whose plan reads far more rows than it returns waits on that read: returning fewer rows leaves it
  const waitMs = (query.waitMs ?? query.durationMs) * sendingShare(query, rows);
  const savesMs = Math.min(requestMs, (waitMs + rowsCpuMs) * wasted);
  const evidence = [
    { label: 'rows loaded', value: `${formatCount(rows)} by one query (${formatMs(query.durationMs / query.count)})` },
    {
      label: 'items returned',
      value: `${formatCount(request.items)}${request.itemsPath ? ` (in "${request.itemsPath}")` : ''}`,
    },
    { label: 'query', value: query.sql },
    { label: 'request time', value: formatMs(record.wallMs) },
  ];
  if (built) evidence.push({ label: 'objects constructed', value: `${formatCount(built.count)} ${built.className}` });
  if (query.chain.length > 1) evidence.push({ label: 'called through', value: formatChain(query.chain) });
  // The row count stands in for a cost that grows with the table: critical from 10,000 rows, unless the
  // profile shows the app's own hot code costing more than the rows (then the measurement ranks them).
  const countFloor = rows >= 10_000 && ownHotMs <= savesMs ? 'critical' : 'warning';
  const finding: Finding = {
    endpoint,
    rule: kind,
    severity: atLeast(severityFor(savesMs, requestMs), rows >= 100 * needed ? countFloor : 'info'),
    title,
    impact: clampShare(savesMs / Math.max(requestMs, 1e-9)),
    savesMs,
    evidence,
    suggestion: eager
      ? `Drop eager loading from the relation at ${formatPlace(eager)} (every find of the entity joins it, and each of its rows repeats the entity's) and load the collection only where a response needs it, in a query of its own (relations or populate on that call, or a separate query by the page's ids).`
      : kind === 'join-fan-out'
        ? 'Load the collections in separate queries (or separate: true / a second query per relation) instead of one join across them.'
        : kind === 'whole-table-load'
          ? 'Fetch only what the response needs (filter, sort and page in SQL: WHERE, ORDER BY, LIMIT), and look for code that evaluates the whole query (a truthiness or length check, a debug print, a list() of a lazy query).'
          : 'Filter, sort and paginate in SQL (WHERE, ORDER BY, LIMIT) instead of in JavaScript.',
  };
  if (location) finding.location = location;
  else finding.noAppLine = noLineReason(query);
  const statement = query.chain.at(-1);
  if (statement && location && location !== statement) noteQuerySite(finding, statement);
  return finding;
}

export function noLineReason(query: QueryFact): string {
  if (query.libraryCall)
    return `no application frame on the query's stack (callbacks or non-native promises hide it); the app called ${query.libraryCall.package}'s ${query.libraryCall.functionName || 'entry'} at ${formatLocation(query.libraryCall)}`;
  return "no application frame on the query's stack (it ran outside the request's call path or the driver hides it)";
}

/** A joined table's name: the first one after JOIN, unquoted. */
const JOINED = /\bjoin\s+(?:lateral\s+)?([`"[\]\w.$]+)/i;

/**
 * What a statement without a filter or a limit reads, in words: a join's rows are the table's rows times
 * their matches, so they are not said to be the table's (20,000 pages joined to their tags are 60,000 rows).
 */
function wholeTable(sql: string, shape: Readonly<SqlShape>, rows: number): string {
  const table = shape.table ? `${shape.table} table` : 'table';
  const joined = shape.joins === 1 ? JOINED.exec(sql)?.[1]?.replace(/[`"[\]]/g, '') : undefined;
  if (!joined) return `the whole ${table} (${formatCount(rows)} rows)`;
  return `the whole ${table} joined to ${joined.split('.').at(-1)} (${formatCount(rows)} joined rows)`;
}
