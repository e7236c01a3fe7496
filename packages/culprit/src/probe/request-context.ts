/**
 * The request-context API the probe's hooks (SQL drivers, logpoints) call to
 * attribute what they see to the request being served. Runs inside the
 * user's process: node built-ins only, and nothing here may throw into the app.
 *
 * Stable contract for driver hooks (src/probe/queries/<driver>.ts, loaded at
 * probe start-up through `queries/index.js`'s `installQueryHooks(recordQuery)`
 * or `install(recordQuery)`):
 *
 *   if (!queriesWanted()) return run();          // cheap exit when no trace listens
 *   const stack = captureStack();                 // synchronously, where the app issues the query
 *   const scope = currentScope();                 // the request, captured at issue time
 *   const t0 = performance.now();
 *   ... run the query ...
 *   recordQuery({ driver: 'pg', sql, params, durationMs: performance.now() - t0, rows, stack, scope });
 *
 * The probe picks the first frame outside node_modules and culprit as the
 * query's location and source-maps it; normalizing SQL and redacting params
 * happen in the CLI, so hooks pass the raw text and values.
 */

import { AsyncLocalStorage } from 'node:async_hooks';
import { isOwnFile } from '../own-code.js';
import { noteFault } from './faults.js';
import { QUERY_DETAIL_LIMIT, QueryFolds } from './query-fold.js';

/**
 * One stack frame as V8 reports it, before source mapping: `url` is an
 * absolute path (CommonJS) or a `file://` URL (ESM); line and column are
 * 0-based like the inspector protocol's. Same shape as queries/types.ts.
 */
export interface RawFrame {
  url: string;
  line: number;
  column: number;
  functionName?: string;
  /** A caller awaiting this work (V8 async stack trace), not on the synchronous stack. */
  async?: boolean;
}

/** A query as a driver hook saw it (queries/types.ts's RawQueryEvent is assignable to it). */
export interface RawQueryEvent {
  /** pg, mysql2, better-sqlite3, node:sqlite. */
  driver: string;
  /** SQL text as sent to the driver (raw; the CLI normalizes it). */
  sql: string;
  /** Bound parameters as given (the CLI redacts them unless --keep-params). */
  params?: readonly unknown[];
  /** `performance.now()` when the app issued the query. */
  startedAt?: number;
  durationMs: number;
  /** Rows returned (SELECT) or affected; null when the driver does not say. */
  rows: number | null;
  error?: string;
  /** Taken synchronously when the app issued the query (e.g. captureStack()), innermost first. */
  stack: RawFrame[];
  /** From currentScope() at issue time; defaults to the scope current when recordQuery runs. */
  scope?: RequestScope;
}

/** What the probe keeps for one request while it runs; opaque to hooks. */
export interface RequestScope {
  readonly requestId: number;
  /** The first QUERY_DETAIL_LIMIT queries, one by one. */
  readonly queries: RawQueryEvent[];
  /** The queries past them, folded (created at the first one). */
  folds?: QueryFolds;
  /** Set once the response finished: late queries are dropped, not misattributed. */
  closed: boolean;
}

const storage = new AsyncLocalStorage<RequestScope>();
let wanted = false;
let stackLimit = 40;

/** True while a trace listens: hooks skip all work (stacks, timing) when false. */
export function queriesWanted(): boolean {
  return wanted;
}

/** Switched by the probe when the CLI connects and asks for query records. */
export function setQueriesWanted(value: boolean): void {
  wanted = value;
}

/** The request being served in the current async context, if any. */
export function currentScope(): RequestScope | undefined {
  const scope = storage.getStore();
  return scope && !scope.closed ? scope : undefined;
}

/** Makes `scope` current for the rest of this async context (keep-alive sockets: always overwrite). */
export function enterScope(scope: RequestScope): void {
  storage.enterWith(scope);
}

/** Runs `fn` with `scope` current (module-mode injections use it). */
export function runInScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/**
 * Raw frames of the caller's stack, innermost first, without the hook's own
 * frames. Uses a private prepareStackTrace so it works whatever the app did
 * to Error formatting, and costs no source-map lookups.
 */
export function captureStack(): RawFrame[] {
  const holder: { stack?: unknown } = {};
  const previousPrepare = Error.prepareStackTrace;
  const previousLimit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = stackLimit;
    Error.prepareStackTrace = (_error, sites) => sites;
    Error.captureStackTrace(holder, captureStack);
    const sites = holder.stack;
    if (!Array.isArray(sites)) return [];
    const frames: RawFrame[] = [];
    for (const site of sites as NodeJS.CallSite[]) {
      const url = site.getFileName() ?? site.getScriptNameOrSourceURL();
      if (!url) continue;
      const functionName = site.getFunctionName() ?? undefined;
      const frame: RawFrame = {
        url,
        line: Math.max(0, (site.getLineNumber() ?? 1) - 1),
        column: Math.max(0, (site.getColumnNumber() ?? 1) - 1),
      };
      if (functionName) frame.functionName = functionName;
      if (site.isAsync()) frame.async = true;
      frames.push(frame);
    }
    return frames;
  } catch (error) {
    noteFault('captureStack', error); // a stack is a nicety: never fail the app's query for it
    return [];
  } finally {
    Error.prepareStackTrace = previousPrepare;
    Error.stackTraceLimit = previousLimit;
  }
}

/** Sets how many frames captureStack keeps (the CLI raises it for --stacks). */
export function setStackLimit(limit: number): void {
  stackLimit = limit;
}

/** Files the probe treats as "not the application" when picking a query's location. */
export function isApplicationFrame(url: string): boolean {
  return !(url.startsWith('node:') || !url.includes('/') || url.includes('/node_modules/') || isOwnFile(url));
}

/**
 * Attributes a finished query to its request; queries outside any request are
 * dropped. Past the detail limit the query is folded right here, so its stack
 * is not held until the request ends.
 */
export function recordQuery(event: RawQueryEvent): void {
  try {
    if (!wanted) return;
    const scope = event.scope ?? currentScope();
    if (!scope || scope.closed) return;
    if (scope.queries.length < QUERY_DETAIL_LIMIT) {
      scope.queries.push(event);
      return;
    }
    const frame = event.stack.find((f) => isApplicationFrame(f.url));
    scope.folds ??= new QueryFolds();
    scope.folds.add(event, frame, () => event.stack);
  } catch (error) {
    noteFault('recordQuery', error); // never throw into the app's query path
  }
}
