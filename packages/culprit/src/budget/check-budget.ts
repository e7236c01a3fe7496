/**
 * Budgets: limits a test puts on what one request may do (queries, rows,
 * objects built, HTTP calls, time), so a fixed performance bug fails CI if it
 * comes back. Some need no guessed total: `repeatedQueries: 1` forbids any
 * statement shape running twice from one line (an N+1), `maxRowsPerItem`
 * relates the rows read to the items answered. Pure: a record in, the
 * broken limits out.
 */
import { type QueryGroup, queryGroups, queryTotals } from '../capture/query-totals.js';
import type { NetworkUse, RequestRecord, SourceLocation } from '../capture/types.js';
import { groupDigits } from '../group-digits.js';

export interface Budget {
  /** Most SQL queries the request may run. */
  queries?: number;
  /** Most times one statement shape may run from one line (1: no N+1, whatever the data). */
  repeatedQueries?: number;
  /** Most rows all its queries may return together. */
  rows?: number;
  /** Most rows read per item of the response (rows ÷ items; a lone object is one item). */
  maxRowsPerItem?: number;
  /** Most objects it may construct, in total or per class name. */
  constructions?: number | Record<string, number>;
  /** Most outbound HTTP calls. */
  httpCalls?: number;
  /** Most times one call shape (method, host, path template) may go out from one line. */
  repeatedHttpCalls?: number;
  /** Most Redis round trips (a pipeline or MULTI is one). */
  redisCalls?: number;
  /** Most times one command on one key shape may go to Redis from one line (1: no Redis N+1). */
  repeatedRedisCalls?: number;
  /** Most wall time, milliseconds (noisy on shared machines: prefer counts). */
  wallMs?: number;
  /** Longest synchronous stretch allowed, milliseconds. */
  blockingMs?: number;
}

/** The budget's fields, for parsing budgets from files. */
export const BUDGET_FIELDS = [
  'queries',
  'repeatedQueries',
  'rows',
  'maxRowsPerItem',
  'constructions',
  'httpCalls',
  'repeatedHttpCalls',
  'redisCalls',
  'repeatedRedisCalls',
  'wallMs',
  'blockingMs',
] as const satisfies readonly (keyof Budget)[];

export interface BudgetViolation {
  limit: string;
  allowed: number;
  actual: number;
  /** The line responsible, when one is (the repeated query's, the heaviest query's). */
  location?: SourceLocation;
  /** The statement or call that broke it. */
  statement?: string;
}

/** An outbound HTTP call as budgets read it. */
export interface BudgetHttpCall {
  method: string;
  host: string;
  path: string;
  location?: SourceLocation;
}

/** A Redis round trip as budgets read it. */
export interface BudgetRedisCall {
  /** `GET`, `HGETALL`, or `PIPELINE` / `MULTI` for a batch. */
  command: string;
  /** The first key folded to a shape (`user:?:profile`). */
  key?: string;
  /** Commands in the round trip (a batch's count). */
  commands: number;
  location?: SourceLocation;
}

/** What a budget reads: a request record (child-process form) or a measure() result (in-process). */
export type Measured = Pick<RequestRecord, 'queries' | 'foldedQueries' | 'constructions' | 'wallMs' | 'items'> & {
  blockingMs?: number | undefined;
  httpCalls?: readonly BudgetHttpCall[];
  redisCalls?: readonly BudgetRedisCall[];
  /** Client sockets written to, whatever wrote (the evidence of a driver no hook saw). */
  network?: readonly NetworkUse[];
  /** Loaded packages that look like database clients, when no query explains the writes. */
  databaseClients?: readonly string[];
};

function over(limit: string, allowed: number | undefined, actual: number): BudgetViolation[] {
  return allowed !== undefined && actual > allowed ? [{ limit, allowed, actual }] : [];
}

const siteKey = (location: SourceLocation | undefined) => (location ? `${location.file}:${location.line}` : '');

/** Queries per (shape, line), most repeated first. */
export function repeatedQueries(measured: Measured): QueryGroup[] {
  const sites = new Map<string, QueryGroup>();
  for (const group of queryGroups(measured)) {
    const key = `${group.driver}\0${group.sql}\0${siteKey(group.location)}`;
    const seen = sites.get(key);
    if (seen) {
      seen.count += group.count;
      seen.rows += group.rows;
      seen.durationMs += group.durationMs;
    } else sites.set(key, { ...group });
  }
  return [...sites.values()].sort((a, b) => b.count - a.count);
}

/** Calls per (shape, line), most repeated first: the shape is what `shapeOf` says makes two calls "the same". */
function repeatedCalls<C extends { location?: SourceLocation }>(
  calls: readonly C[],
  shapeOf: (call: C) => string,
): Array<{ call: C; shape: string; count: number }> {
  const sites = new Map<string, { call: C; shape: string; count: number }>();
  for (const call of calls) {
    const shape = shapeOf(call);
    const key = `${shape}\0${siteKey(call.location)}`;
    const seen = sites.get(key);
    if (seen) seen.count += 1;
    else sites.set(key, { call, shape, count: 1 });
  }
  return [...sites.values()].sort((a, b) => b.count - a.count);
}

const httpShape = (call: BudgetHttpCall) => `${call.method} ${call.host}${call.path}`;
const redisShape = (call: BudgetRedisCall) => (call.key === undefined ? call.command : `${call.command} ${call.key}`);

/** The most repeated HTTP call and Redis command from one line (0 when none): `culprit check`'s columns. */
export function mostRepeatedCalls(measured: Measured): { http: number; redis: number } {
  return {
    http: repeatedCalls(measured.httpCalls ?? [], httpShape)[0]?.count ?? 0,
    redis: repeatedCalls(measured.redisCalls ?? [], redisShape)[0]?.count ?? 0,
  };
}

function callRepeatViolations<C extends { location?: SourceLocation }>(
  limit: string,
  allowed: number | undefined,
  calls: readonly C[],
  shapeOf: (call: C) => string,
): BudgetViolation[] {
  if (allowed === undefined) return [];
  const violations: BudgetViolation[] = [];
  for (const { call, shape, count } of repeatedCalls(calls, shapeOf)) {
    if (count <= allowed) break;
    const v: BudgetViolation = { limit, allowed, actual: count, statement: shape };
    if (call.location) v.location = call.location;
    violations.push(v);
  }
  return violations;
}

function constructionViolations(measured: Measured, limits: Budget['constructions']): BudgetViolation[] {
  if (typeof limits === 'number') {
    return over(
      'constructions',
      limits,
      measured.constructions.reduce((sum, c) => sum + c.count, 0),
    );
  }
  const violations: BudgetViolation[] = [];
  for (const [className, allowed] of Object.entries(limits ?? {})) {
    const built = measured.constructions.filter((c) => c.className === className);
    const found = over(
      `${className} constructions`,
      allowed,
      built.reduce((sum, c) => sum + c.count, 0),
    );
    const at = built[0]?.location;
    violations.push(...found.map((v) => (at ? { ...v, location: at } : v)));
  }
  return violations;
}

function repeatViolations(measured: Measured, budget: Budget): BudgetViolation[] {
  const violations: BudgetViolation[] = [];
  if (budget.repeatedQueries !== undefined) {
    for (const site of repeatedQueries(measured)) {
      if (site.count <= budget.repeatedQueries) break;
      const v: BudgetViolation = {
        limit: 'repeated query',
        allowed: budget.repeatedQueries,
        actual: site.count,
        statement: site.sql,
      };
      if (site.location) v.location = site.location;
      violations.push(v);
    }
  }
  violations.push(
    ...callRepeatViolations('repeated HTTP call', budget.repeatedHttpCalls, measured.httpCalls ?? [], httpShape),
    ...callRepeatViolations('repeated Redis command', budget.repeatedRedisCalls, measured.redisCalls ?? [], redisShape),
  );
  return violations;
}

const SQL_LIMITS = ['queries', 'repeatedQueries', 'rows', 'maxRowsPerItem'] as const satisfies (keyof Budget)[];

/**
 * A budget on SQL read from a request that wrote to a database-like socket
 * yet recorded no query and no Redis call: a driver culprit did not hook
 * (an ES-module build loaded by Jest's own loader, an unsupported client).
 * Its limits would pass on a count of 0 whatever the code does, so they fail.
 */
function unrecordedIoViolations(measured: Measured, budget: Budget, queryCount: number): BudgetViolation[] {
  if (!SQL_LIMITS.some((limit) => budget[limit] !== undefined)) return [];
  if (queryCount > 0 || (measured.redisCalls?.length ?? 0) > 0) return [];
  const unexplained = (measured.network ?? []).filter((row) => row.kind !== 'http');
  if (unexplained.length === 0) return [];
  const writes = unexplained.reduce((sum, row) => sum + row.writes, 0);
  const remotes = unexplained.map((row) => `${row.remote} (${n(row.writes)} writes, ${n(row.bytes)} bytes)`);
  const clients = measured.databaseClients?.length ? `; loaded clients: ${measured.databaseClients.join(', ')}` : '';
  return [
    {
      limit: 'queries not recorded',
      allowed: 0,
      actual: writes,
      statement: `wrote to ${remotes.join(', ')} but no driver hook recorded a query${clients}: load the driver before measuring, through its CommonJS build under Jest (createRequire(import.meta.url)('postgres'))`,
    },
  ];
}

/** Every limit of `budget` that `measured` broke. */
export function checkBudget(measured: Measured, budget: Budget): BudgetViolation[] {
  const queries = queryTotals(measured);
  const rowsPerItem = queries.rows / Math.max(1, measured.items ?? 1);
  return [
    ...unrecordedIoViolations(measured, budget, queries.count),
    ...over('queries', budget.queries, queries.count),
    ...repeatViolations(measured, budget),
    ...over('rows', budget.rows, queries.rows),
    ...over(
      `rows per item (${measured.items ?? 1} item${(measured.items ?? 1) === 1 ? '' : 's'})`,
      budget.maxRowsPerItem,
      Math.round(rowsPerItem * 10) / 10,
    ),
    ...constructionViolations(measured, budget.constructions),
    ...over('HTTP calls', budget.httpCalls, measured.httpCalls?.length ?? 0),
    ...over('Redis round trips', budget.redisCalls, measured.redisCalls?.length ?? 0),
    ...over('wall time (ms)', budget.wallMs, measured.wallMs),
    ...over('event-loop blocking (ms)', budget.blockingMs, measured.blockingMs ?? 0),
  ];
}

/** The query that read the most rows per run, as `{rows, count, location}`. */
function heaviestQuery(measured: Measured): { rows: number; count: number; location: SourceLocation } | undefined {
  let heaviest: { rows: number; count: number; location: SourceLocation } | undefined;
  for (const group of queryGroups(measured)) {
    const rows = group.rows / group.count; // a fold's rows are a sum: compare per query
    if (group.location && rows > (heaviest?.rows ?? 0)) {
      heaviest = { rows, count: group.count, location: group.location };
    }
  }
  return heaviest;
}

const n = (value: number) => groupDigits(value);
const at = (location: SourceLocation) => `${location.file}:${location.line}`;
const shorten = (sql: string) => (sql.length > 120 ? `${sql.slice(0, 117)}...` : sql);

/** One readable message for a test failure: what was allowed, what happened, which line and query. */
export function describeViolations(measured: Measured, violations: BudgetViolation[], title: string): string {
  const lines = [`${title} broke its performance budget:`];
  for (const v of violations) {
    const where = v.location ? ` at ${at(v.location)}` : '';
    if (v.limit === 'queries not recorded') {
      lines.push(`  ${v.limit}: the SQL limits cannot be checked`);
      if (v.statement) lines.push(`    ${v.statement}`);
      continue;
    }
    if (v.limit.startsWith('repeated')) {
      lines.push(`  ${v.limit}: ${n(v.actual)} times${where} (budget ${n(v.allowed)})`);
    } else lines.push(`  ${v.limit}: ${n(v.actual)} (budget ${n(v.allowed)})${where}`);
    if (v.statement) lines.push(`    ${shorten(v.statement)}`);
  }
  const heaviest = heaviestQuery(measured);
  if (heaviest && violations.some((v) => v.limit.startsWith('rows') || v.limit.includes('constructions'))) {
    const each = heaviest.count > 1 ? ` (average of ${n(heaviest.count)} queries)` : '';
    lines.push(`  largest query: ${n(Math.round(heaviest.rows))} rows${each} from ${at(heaviest.location)}`);
  }
  return lines.join('\n');
}

/** The title of a child-process record's message. */
export function recordTitle(record: Pick<RequestRecord, 'method' | 'url'>): string {
  return `${record.method} ${record.url}`;
}
