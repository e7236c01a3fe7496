/**
 * The request-context API the probe's hooks (SQL drivers, logpoints) call to
 * attribute what they see to the request being served. Runs inside the
 * user's process: node built-ins only, and nothing here may throw into the app.
 *
 * Stable contract for driver hooks (src/probe/queries/<driver>.ts, loaded with
 * the first file of a hooked package (hook-loading.ts) through
 * `queries/index.js`'s `installQueryHooks(recordQuery)` or `install(recordQuery)`):
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
import type { RowsRead } from '../capture/types.js';
import { performance } from './clock.js';
import { noteFault } from './faults.js';
import {
  CapturedStack,
  captureHinted,
  type FrameSource,
  firstApplicationFrame,
  NO_FRAMES,
  orDeeper,
  type RawFrame,
} from './frame-source.js';
import { QUERY_DETAIL_LIMIT, QueryFolds } from './query-fold.js';
import type { RawRemoteCall } from './remote/raw-call.js';

export { type FrameSource, isApplicationFrame, type RawFrame } from './frame-source.js';

/** A query as a driver hook saw it (queries/types.ts's RawQueryEvent is assignable to it). */
export interface RawQueryEvent {
  /** pg, postgres, mysql2, mysql, mariadb, better-sqlite3, sqlite3, node:sqlite. */
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
  read?: RowsRead | undefined;
  error?: string;
  builtAt?(): RawFrame | undefined;
  /** Taken synchronously when the app issued the query (e.g. captureStack()), innermost first. */
  stack: RawFrame[];
  /**
   * From currentScope() at issue time; `null` when the query was issued outside any request (a
   * startup migration), so it is dropped wherever it finishes: a connection opened inside a request
   * completes every later query in that request's context. Absent: the scope current when recordQuery runs.
   */
  scope?: RequestScope | null;
  /** The first application frame of `stack`, read without reading the whole stack (driver hooks' events). */
  appFrame?(): RawFrame | undefined;
}

/** The frame a query's record names: the first application frame of its stack. */
export function appFrameOf(event: RawQueryEvent): RawFrame | undefined {
  return event.appFrame ? event.appFrame() : firstApplicationFrame(event.stack);
}

/** What the probe keeps for one request while it runs; opaque to hooks. */
export interface RequestScope {
  readonly requestId: number;
  /** `performance.now()` at the request's start: the origin of its time axis. */
  readonly startedAt?: number;
  /** The first QUERY_DETAIL_LIMIT queries, one by one. */
  readonly queries: RawQueryEvent[];
  /** The queries past them, folded (created at the first one). */
  folds?: QueryFolds;
  /** Outbound HTTP calls and Redis round trips (probe/remote), up to REMOTE_DETAIL_LIMIT. */
  remote?: RawRemoteCall[];
  /** Remote operations past that limit, counted only. */
  remoteDropped?: number;
  /** Set once the response finished: late queries are dropped, not misattributed. */
  closed: boolean;
  /**
   * Present on a request `culprit watch` counts without recording its detail
   * (not in its sample): queries, rows and HTTP calls are counted here, and
   * no stack, statement or call is kept.
   */
  tally?: RequestTally;
}

/** What a counted-only request adds up (RequestScope.tally). */
export interface RequestTally {
  queries: number;
  rows: number;
  httpCalls: number;
}

const storage = new AsyncLocalStorage<RequestScope>();
let wanted = false;
let breakpointsArmed = false;
let scopedOnly = false;
/** Frames kept per stack unless --stacks asks for whole stacks. */
export const DEFAULT_STACK_LIMIT = 40;
/** Frames a first, short capture takes: most operations' application frame is among them. */
export const SHORT_STACK = 10;
let stackLimit = DEFAULT_STACK_LIMIT;
let wholeStacks = false;

/** True while a trace listens: hooks skip all work (stacks, timing) when false. */
export function queriesWanted(): boolean {
  // culprit/register with no recorded request open anywhere: no store to read (a map lookup on Node 24)
  return wanted && (!scopedOnly || ((openScopes > 0 || uncounted) && currentScope() !== undefined));
}

/**
 * `culprit/register` records a sample of requests: outside a recorded
 * request, hooks then skip their work (the stack capture) at the cost of one
 * AsyncLocalStorage read, instead of recording a query that is dropped.
 */
export function setScopedOnly(value: boolean): void {
  scopedOnly = value;
  tellWanted();
}

/** Switched by the probe when the CLI connects and asks for query records. */
export function setQueriesWanted(value: boolean): void {
  wanted = value;
  settleScopes();
  tellWanted();
}

const wantedListeners: Array<(wanted: boolean) => void> = [];
/** What the listeners were last told. */
let told = false;

/** Queries may be wanted now: under setScopedOnly, only while a recorded request is open somewhere. */
function tellWanted(): void {
  const now = wanted && (!scopedOnly || openScopes > 0 || uncounted);
  if (now === told) return;
  told = now;
  for (const listener of wantedListeners) listener(now);
}

/**
 * Calls `listener` now and whenever queries start or stop being wanted: a hook that costs the driver
 * work merely by listening (a TracingChannel subscriber makes mysql2 trace every promise) listens only then.
 * Under culprit/register that is while a recorded request is open: the sample's, not every request's.
 */
export function onQueriesWanted(listener: (wanted: boolean) => void): void {
  wantedListeners.push(listener);
  listener(told);
}

/** Switched while `--log`/`--when` breakpoints are set: their hits name the request they ran in. */
export function setBreakpointsArmed(value: boolean): void {
  breakpointsArmed = value;
  settleScopes();
}

/**
 * True while something reads the current request (query hooks, breakpoints).
 * Scopes are entered only then: an AsyncLocalStorage in use turns on promise
 * hooks, which tax every await of the app, so an idle probe enters none.
 */
export function scopesWanted(): boolean {
  return wanted || breakpointsArmed;
}

function settleScopes(): void {
  // disabling drops the stores and, when no other storage of the process is in use, its hooks
  if (!scopesWanted()) storage.disable();
}

// Node 20's AsyncLocalStorage (later Node under --no-async-context-frame) propagates with async and promise
// hooks: while any storage is enabled, every promise and resource pays a call. AsyncContextFrame has none.
const hookedStorage = '_propagate' in AsyncLocalStorage.prototype;
/** culprit/register's mode (storages on only while a recorded request is open), culprit watch's (companions only). */
let onDemand = false;
let companionsOnDemand = false;
let openScopes = 0;
/** Other storages that only matter inside a recorded request (the pool calls' issuers): idle with it. */
const companions: Array<AsyncLocalStorage<unknown>> = [];

/**
 * culprit/register records a few requests a second: between them the storages are disabled (Node 20), so the
 * app's promises run without hooks. A disabled storage's stores left on resources are closed scopes'
 * (openScope counts the open ones): read after the next enterWith re-enables it, they hold nothing open.
 */
export function setScopesOnDemand(value: boolean): void {
  onDemand = value && hookedStorage;
  settleOpenScopes();
}

/** A storage whose stores are read only inside a recorded request: disabled with the scopes' storage. */
export function scopeCompanion<T>(companion: AsyncLocalStorage<T>): AsyncLocalStorage<T> {
  companions.push(companion as AsyncLocalStorage<unknown>);
  return companion;
}

const openListeners: Array<(open: boolean) => void> = [];

/** Calls `listener` with true when openScope opens the first scope, with false when closeScope closes the last. */
export function onScopesOpen(listener: (open: boolean) => void): void {
  openListeners.push(listener);
}

function tellOpen(open: boolean): void {
  for (const listener of openListeners) listener(open);
  tellWanted();
}

/** Enters `scope` (open) for the rest of this async context; closeScope ends it. */
export function openScope(scope: RequestScope): void {
  openScopes += 1;
  storage.enterWith(scope);
  if (openScopes === 1) tellOpen(true);
}

/** Closes a scope openScope entered (once): late queries are dropped; the last one lets the storages idle. */
export function closeScope(scope: RequestScope): void {
  if (scope.closed) return;
  scope.closed = true;
  openScopes = Math.max(0, openScopes - 1);
  settleOpenScopes();
  if (openScopes === 0) tellOpen(false);
}

// for a user of the storage that opens scopes itself (the span processor marks the SDK's recorded server
// spans' scopes open): the storages then stay enabled, even beside culprit/register
export function keepScopesEnabled(): void {
  kept = true;
  uncounted = true;
  tellWanted();
}

let kept = false;
let uncounted = false; // a scope may be open that openScope did not count (enterScope's, the span processor's)

function countNoMore(): void {
  if (uncounted) return;
  uncounted = true;
  tellWanted();
}

// culprit watch counts every request in a scope, but only its sample (openScope) reads the companions: on Node
// 20 each enabled storage copies its store at every promise (+2% of ephemera's request), so they idle meanwhile
export function setCompanionsOnDemand(value: boolean): void {
  companionsOnDemand = value && hookedStorage;
  settleOpenScopes();
}

function settleOpenScopes(): void {
  if (!(onDemand || companionsOnDemand) || kept || openScopes > 0 || breakpointsArmed) return;
  if (onDemand) storage.disable();
  for (const companion of companions) companion.disable();
}

/**
 * For a request that is not recorded: its async context may carry a request's scope still open
 * (the previous request on a pipelining keep-alive socket); a closed scope then hides it. When no
 * storage is enabled, or the store is closed or absent, nothing is entered (no store per request).
 */
export function hideOpenScope(): void {
  // every open scope counted and none open: nothing to hide, and no store read (a map lookup on Node 24)
  if (openScopes === 0 && !uncounted) return;
  const scope = storage.getStore();
  if (scope !== undefined && !scope.closed) storage.enterWith(CLOSED_SCOPE);
}

const CLOSED_SCOPE: RequestScope = { requestId: 0, startedAt: 0, queries: [], closed: true };

/** The request being served in the current async context, if any. */
export function currentScope(): RequestScope | undefined {
  const scope = storage.getStore();
  return scope && !scope.closed ? scope : undefined;
}

/**
 * True inside a request that is counted, not recorded (RequestScope.tally):
 * hooks skip the stack capture, the largest part of a query's recording cost.
 */
export function countedOnly(): boolean {
  return storage.getStore()?.tally !== undefined;
}

/**
 * The tally of the request being served when it is counted only (countedOnly), else undefined: a
 * synchronous driver hook counts its query there and skips building the event recordQuery would drop.
 */
export function countedTally(): RequestTally | undefined {
  const scope = storage.getStore();
  return scope && !scope.closed ? scope.tally : undefined;
}

/** The current async context's scope even once closed (the span processor opens a scope the SDK records). */
export function scopeStore(): RequestScope | undefined {
  return storage.getStore();
}

/** Makes `scope` current for the rest of this async context (keep-alive sockets: always overwrite). */
export function enterScope(scope: RequestScope): void {
  if (!scope.closed) countNoMore();
  storage.enterWith(scope);
}

/** Runs `fn` with `scope` (as scopeStore() gave it, or none) current: a queued callback back in its caller's request. */
export function runInScopeStore<T>(scope: RequestScope | undefined, fn: () => T): T {
  return scope ? storage.run(scope, fn) : storage.exit(fn);
}

/** Runs `fn` with `scope` current (module-mode injections use it). */
export function runInScope<T>(scope: RequestScope, fn: () => T): T {
  if (!scope.closed) countNoMore();
  return storage.run(scope, fn);
}

/**
 * Raw frames of the caller's stack, innermost first, without the hook's own
 * frames. Uses a private prepareStackTrace so it works whatever the app did
 * to Error formatting, and costs no source-map lookups.
 */
export function captureStack(depth = 0): RawFrame[] {
  // `depth`: frames a library puts between the app's call and the hook (fetch's undici) come on top
  return new CapturedStack(captureStack, stackLimit + depth).frames();
}

/**
 * The stack of captureStack, taken now but read only when a record is built,
 * and then only as far as the record needs (its application frame, unless
 * --stacks): V8 keeps the structured trace meanwhile. `below`: the hook's own
 * function, whose frames and those above it are left out.
 */
export function captureStackLater(below: (...args: never[]) => unknown, depth = 0): FrameSource {
  // a request `culprit watch` only counts needs no stack (its call is counted, then dropped)
  if (countedOnly()) return NO_FRAMES;
  if (wholeStacks) return new CapturedStack(below, stackLimit + depth);
  // captureShortFirst's steps, its short capture called from here: one frame fewer above `below` to walk
  return orDeeper(captureHinted(below, SHORT_STACK + depth), below, SHORT_STACK + depth, stackLimit + depth);
}

/**
 * captureStackLater for a hook that runs inside a library function the app called (`entry`: the global
 * fetch, under which undici publishes ~27 frames deep): V8 skips the frames above the entry's call as it
 * walks, so none of the library's frames is captured or read and the application frame comes first.
 * Where `entry` is not on the stack (undici's own package, a fetch kept from before something replaced
 * it) or holds no application frame close below, as captureStackLater(below, depth); under --stacks too,
 * whose records carry the library's frames.
 */
export function captureStackBelowEntry(entry: unknown, below: (...args: never[]) => unknown, depth = 0): FrameSource {
  if (countedOnly()) return NO_FRAMES;
  if (!wholeStacks && typeof entry === 'function') {
    const stack = captureHinted(entry as (...args: never[]) => unknown, SHORT_STACK);
    if (stack.appFrameIndex() >= 0) return stack;
  }
  return captureStackLater(below, depth);
}

/** Sets how many frames captureStack keeps (the CLI raises it for --stacks). */
export function setStackLimit(limit: number): void {
  stackLimit = limit;
  wholeStacks = limit > DEFAULT_STACK_LIMIT;
}

/** True under --stacks: records carry whole stacks, so captures go as deep as the limit at once. */
export function wholeStacksWanted(): boolean {
  return wholeStacks;
}

/**
 * Attributes a finished query to its request; queries outside any request are
 * dropped. Past the detail limit the query is folded right here, so its stack
 * is not held until the request ends.
 */
export function recordQuery(event: RawQueryEvent): void {
  try {
    if (!wanted) return;
    const scope = event.scope === undefined ? currentScope() : event.scope;
    if (!scope || scope.closed) return;
    if (scope.tally) {
      scope.tally.queries += 1;
      scope.tally.rows += event.rows ?? 0;
      return;
    }
    // drivers that time from issue say when; the others are placed by their end
    event.startedAt ??= performance.now() - event.durationMs;
    if (scope.queries.length < QUERY_DETAIL_LIMIT) {
      scope.queries.push(event);
      return;
    }
    scope.folds ??= new QueryFolds();
    scope.folds.add(event, appFrameOf(event), () => event.stack);
  } catch (error) {
    noteFault('recordQuery', error); // never throw into the app's query path
  }
}
