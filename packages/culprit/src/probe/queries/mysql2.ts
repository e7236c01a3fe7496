/**
 * mysql2 >= 3.20 publishes TracingChannels `mysql2:query` and `mysql2:execute`:
 * the official hook, used for SQL, params, timing, result and error. Callback
 * mode (which the promise API uses too) carries the rows in `context.result`.
 * Two small patches fill what the channel lacks:
 * - `BaseConnection.prototype.query/execute`: in event-emitter (streaming)
 *   mode the channel resolves without rows, so the hook counts `result` events;
 * - `BasePool.prototype.query/execute`: the connection-level query runs in a
 *   "connection acquired" callback, so the pool call's stack is carried over.
 * Older mysql2 (no channels) is patched instead (mysql2-legacy.ts), and its
 * pool (lib/pool.js before 3.x moved it to lib/base/pool.js) carries stacks alike.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { noteFault } from '../faults.js';
import type { FrameSource, StackHolder } from '../frame-source.js';
import { onQueriesWanted, queriesWanted, type RequestScope } from '../request-context.js';
import { type ExplainPlan, explainWithNotes, rememberPlan } from './explain-registry.js';
import { onCommonJsFile, packageFile } from './module-hook.js';
import { hasTracingChannels, patchLegacyConnection } from './mysql2-legacy.js';
import { type AnyMethod, errorMessage, patchMethod } from './patch.js';
import { carryPoolStack, issuedAt, keepQueuedContext } from './pool-stack.js';
import { resultSetsRead } from './rows-read.js';
import { closeOwnCapture, openOwnCapture, ownCaptureWanted, withLazyStack } from './stack.js';
import type { QueryRecorder } from './types.js';

let recorder: QueryRecorder | undefined;
let installed = false;

interface Pending {
  sql: string;
  params: unknown[] | undefined;
  startedAt: number;
  stack: FrameSource;
  scope: RequestScope | undefined;
  /** Counted from `result` events in event-emitter mode. */
  streamedRows?: number;
  done: boolean;
}

interface ChannelContext {
  query?: unknown;
  values?: unknown;
  result?: unknown;
  error?: unknown;
}

const CHANNELS = ['mysql2:query', 'mysql2:execute'];
// no closure per event: three run per query. asyncEnd and error are left unsubscribed (the error is on the
// context at asyncStart and end): a publish to a channel with no subscriber costs nothing, one to a no-op ≈0.5k
const handlers = {
  start: (context: unknown) => {
    try {
      onStart(context as ChannelContext);
    } catch (error) {
      noteFault('mysql2 start', error);
    }
  },
  end: (context: unknown) => {
    try {
      onEnd(context as ChannelContext);
    } catch (error) {
      noteFault('mysql2 end', error);
    }
  },
  asyncStart: (context: unknown) => {
    try {
      settle(context as ChannelContext);
    } catch (error) {
      noteFault('mysql2 asyncStart', error);
    }
  },
};

/**
 * The query a channel context stands for, kept on the context itself (a symbol property, which other
 * subscribers do not see): a WeakMap keyed by a context only just allocated costs the GC an ephemeron
 * per query.
 */
const PENDING = Symbol('culprit.mysql2-query');
type WithPending = ChannelContext & { [PENDING]?: Pending };
/** The query a connection-level call just started (set synchronously by the channel's start event). */
let lastStarted: Pending | undefined;

export function install(record: QueryRecorder): void {
  recorder = record;
  if (installed) return;
  installed = true;
  // subscribed only while queries are wanted: with a subscriber, mysql2 wraps every query's promise in a
  // trace (≈160k instructions per query on Node 24 with nothing recorded)
  // made once: under culprit/register this turns at every recorded request's open and close
  const channels = CHANNELS.map((channel) => diagnosticsChannel.tracingChannel(channel));
  onQueriesWanted((wanted) => {
    for (const channel of channels) {
      // node skips the events a subscriber object does not name (its types ask for all five)
      if (wanted) channel.subscribe(handlers as diagnosticsChannel.TracingChannelSubscribers<object>);
      else channel.unsubscribe(handlers as diagnosticsChannel.TracingChannelSubscribers<object>);
    }
  });
  onCommonJsFile(packageFile('mysql2', 'lib/base/connection.js'), (exports, filename) => {
    const proto = (exports as { prototype?: object } | undefined)?.prototype;
    if (!proto) return;
    if (!hasTracingChannels(filename)) return patchLegacyConnection(proto, () => recorder, mysqlRows, resultSetsRead);
    patchMethod(proto, 'query', countStreamedRows);
    patchMethod(proto, 'execute', countStreamedRows);
  });
  onCommonJsFile(packageFile('mysql2', 'lib/connection.js'), (exports, filename) => {
    const proto = (exports as { prototype?: object } | undefined)?.prototype;
    if (proto && !hasTracingChannels(filename)) patchLegacyConnection(proto, () => recorder, mysqlRows, resultSetsRead);
  });
  onCommonJsFile(packageFile('mysql2', 'lib/base/pool.js'), patchPool);
  onCommonJsFile(packageFile('mysql2', 'lib/pool.js'), patchPool);
  onCommonJsFile(packageFile('mysql2', 'lib/promise/pool.js'), patchPromisePool);
}

/**
 * The stack of the promise pool call running now, taken in its method's own body, below it: the pool's own
 * method (called at once, from a promise executor) carries it, and V8 neither reads the executor's and the
 * promise method's frames nor walks the pool hook's, the executor's and the promise method's above it
 * (each frame walked costs ≈2–3k instructions on Node 20). Consumed by the pool call it is for.
 */
let promiseCallFrames: FrameSource | undefined;

function takePromiseCallFrames(): FrameSource | undefined {
  const frames = promiseCallFrames;
  promiseCallFrames = undefined;
  return frames;
}

function markPromiseCall(original: AnyMethod): AnyMethod {
  const marked = function (this: unknown, ...args: unknown[]) {
    if (!queriesWanted()) return original.apply(this, args);
    const outer = promiseCallFrames;
    promiseCallFrames = undefined;
    // under --stacks the pool hook takes the whole stack, mysql2's frames included
    if (ownCaptureWanted()) {
      try {
        const holder: StackHolder = {};
        const limit = openOwnCapture(marked);
        try {
          Error.captureStackTrace(holder, marked);
        } finally {
          promiseCallFrames = closeOwnCapture(holder, marked, limit);
        }
      } catch (error) {
        noteFault('mysql2 pool stack', error);
      }
    }
    try {
      return original.apply(this, args);
    } finally {
      promiseCallFrames = outer;
    }
  };
  return marked;
}

function patchPromisePool(exports: unknown): void {
  const proto = (exports as { prototype?: object } | undefined)?.prototype;
  if (!proto) return;
  patchMethod(proto, 'query', markPromiseCall);
  patchMethod(proto, 'execute', markPromiseCall);
}

/** The pool's own methods (lib/pool.js inherits them from lib/base/pool.js since late 3.x). */
function patchPool(exports: unknown): void {
  const proto = (exports as { prototype?: object } | undefined)?.prototype;
  if (!proto) return;
  const own = (name: string) => Object.hasOwn(proto, name);
  const carry = (original: AnyMethod) => carryPoolStack('mysql2 pool stack', original, takePromiseCallFrames);
  if (own('query')) patchMethod(proto, 'query', carry);
  if (own('execute')) patchMethod(proto, 'execute', carry);
  if (own('getConnection')) patchMethod(proto, 'getConnection', keepQueuedContext);
}

function onStart(context: ChannelContext): void {
  if (!queriesWanted()) return;
  const issued = issuedAt(onStart);
  const pending: Pending = {
    sql: typeof context.query === 'string' ? context.query : String(context.query ?? ''),
    params: Array.isArray(context.values) ? [...context.values] : undefined,
    startedAt: performance.now(),
    stack: issued.frames,
    scope: issued.scope,
    done: false,
  };
  (context as WithPending)[PENDING] = pending;
  lastStarted = pending;
}

/** A synchronous throw ends the trace without asyncStart. */
function onEnd(context: ChannelContext): void {
  if (context.error !== undefined) settle(context);
}

function settle(context: ChannelContext): void {
  const pending = (context as WithPending)[PENDING];
  if (!pending || pending.done) return;
  pending.done = true;
  const failed = context.error !== undefined && context.error !== null;
  recorder?.(
    withLazyStack(
      {
        driver: 'mysql2',
        sql: pending.sql,
        params: pending.params,
        startedAt: pending.startedAt,
        durationMs: performance.now() - pending.startedAt,
        rows: failed ? null : (pending.streamedRows ?? mysqlRows(context.result)),
        read: failed || pending.streamedRows !== undefined ? undefined : resultSetsRead(context.result),
        error: failed ? errorMessage(context.error) : undefined,
        scope: pending.scope,
      },
      pending.stack,
    ),
  );
}

function countStreamedRows(original: AnyMethod): AnyMethod {
  // one plan function per connection and method, kept on the connection: no closure per query, and the explain
  // registry's slot holds the statement's text and values only, not the pending query and its stack
  const PLANNER = Symbol('culprit.mysql2-plan');
  return function (this: unknown, ...args: unknown[]) {
    if (!queriesWanted()) return original.apply(this, args);
    lastStarted = undefined;
    const command = original.apply(this, args);
    const started = takeLastStarted();
    if (started?.scope) rememberPlan(started.sql, plannerOf(this as WithPlanner, PLANNER, original), started.params);
    const emitter = command as { onResult?: unknown; on?: unknown } | null;
    // callback mode (the promise API's too): the channel carries the rows
    if (!started || !emitter || typeof emitter.on !== 'function' || typeof emitter.onResult === 'function') {
      return command;
    }
    try {
      started.streamedRows = 0;
      (emitter.on as (event: string, listener: (row: unknown) => void) => void).call(emitter, 'result', (row) => {
        started.streamedRows = (started.streamedRows ?? 0) + (isHeader(row) ? (affected(row) ?? 0) : 1);
      });
    } catch (error) {
      noteFault('mysql2 stream rows', error);
    }
    return command;
  };
}

type WithPlanner = { [planner: symbol]: ExplainPlan | undefined };

/** The connection's plan function for `original` (made at its first recorded query). */
function plannerOf(connection: WithPlanner, key: symbol, original: AnyMethod): ExplainPlan {
  let planner = connection[key];
  if (planner === undefined) {
    planner = (sql, params) => mysqlPlan(original, connection, sql, params);
    connection[key] = planner;
  }
  return planner;
}

/** EXPLAIN through the same connection; each plan row becomes one line of `name=value` pairs. */
function mysqlPlan(
  original: AnyMethod,
  connection: unknown,
  sql: string,
  params: readonly unknown[] | undefined,
): Promise<string[]> {
  return explainWithNotes((text, values, done) => original.call(connection, text, values, done), sql, params ?? []);
}

function takeLastStarted(): Pending | undefined {
  const started = lastStarted;
  lastStarted = undefined;
  return started;
}

function isHeader(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    affected(value) !== null &&
    (value as object).constructor?.name === 'ResultSetHeader'
  );
}

function affected(value: unknown): number | null {
  const count = (value as { affectedRows?: unknown }).affectedRows;
  return typeof count === 'number' ? count : null;
}

/**
 * Rows of a callback-mode result: an array of rows (SELECT), a ResultSetHeader
 * (writes: affectedRows), or for multi-statement text an array of those.
 */
export function mysqlRows(result: unknown): number | null {
  if (isHeader(result)) return affected(result);
  if (!Array.isArray(result)) return null;
  const multi =
    result.length > 0 && result.some(isHeader) && result.every((part) => isHeader(part) || Array.isArray(part));
  if (!multi) return result.length;
  let total = 0;
  for (const part of result) total += isHeader(part) ? (affected(part) ?? 0) : (part as unknown[]).length;
  return total;
}
