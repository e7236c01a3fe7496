/**
 * mysql (mysqljs, the `mysql` package) has no hooks. Every statement, from a
 * connection, a pool or a pool cluster, callback or streaming, becomes a
 * `Query` sequence enqueued by `Connection.prototype.query`, and every
 * sequence ends in one call of `end(error, results)`:
 * - `Connection.prototype.query` takes the stack and request at issue time
 *   and keeps them with the returned `Query`;
 * - the `Query` sequence's `end` records it (results in callback mode; rows
 *   counted from `result` events in streaming mode);
 * - `Pool.prototype.query` carries the caller's stack into the connection
 *   acquired later, and `Pool.prototype.getConnection` keeps a queued
 *   callback in its caller's context (pool-stack.ts).
 * Values are inlined client-side (`format`), so the SQL carries them.
 */

import { noteFault } from '../faults.js';
import type { FrameSource, StackHolder } from '../frame-source.js';
import { currentScope, queriesWanted, type RequestScope } from '../request-context.js';
import { explainWithNotes, rememberPlan } from './explain-registry.js';
import { onCommonJsFile, packageFile } from './module-hook.js';
import { type AnyMethod, errorMessage, patchMethod } from './patch.js';
import { carryPoolStack, type Issued, issuedAt, issuerPending, keepQueuedContext } from './pool-stack.js';
import { resultSetsRead } from './rows-read.js';
import { closeOwnCapture, openOwnCapture, ownCaptureWanted, withLazyStack } from './stack.js';
import type { QueryRecorder } from './types.js';

let recorder: QueryRecorder | undefined;
let installed = false;

interface Pending {
  startedAt: number;
  stack: FrameSource;
  scope: RequestScope | undefined;
  /** Counted from `result` events when no callback takes the results. */
  streamedRows?: number;
}

interface QuerySequence {
  sql?: unknown;
  values?: unknown;
  _callback?: unknown;
  on?: (event: string, listener: (...args: unknown[]) => void) => unknown;
}

/**
 * Where a Query sequence keeps its Pending, on the sequence itself: a WeakMap entry keyed by an object
 * just allocated costs a hash insert and delete and, in the scavenger, an ephemeron per query.
 */
const PENDING = Symbol('culprit.mysql.pending');
type Carrier = { [PENDING]?: Pending | undefined };

export function install(record: QueryRecorder): void {
  recorder = record;
  if (installed) return;
  installed = true;
  onCommonJsFile(packageFile('mysql', 'lib/Connection.js'), (exports) => {
    const proto = (exports as { prototype?: object } | undefined)?.prototype;
    if (proto) patchMethod(proto, 'query', wrapConnectionQuery);
  });
  onCommonJsFile(packageFile('mysql', 'lib/protocol/sequences/Query.js'), (exports) => {
    const proto = (exports as { prototype?: object } | undefined)?.prototype;
    if (proto) patchMethod(proto, 'end', wrapEnd); // inherited from Sequence: the patch lands on Query only
  });
  for (const file of ['lib/Pool.js', 'lib/PoolNamespace.js']) {
    onCommonJsFile(packageFile('mysql', file), (exports) => {
      const proto = (exports as { prototype?: object } | undefined)?.prototype;
      if (!proto) return;
      patchMethod(proto, 'query', (original) => carryPoolStack('mysql pool stack', original));
      patchMethod(proto, 'getConnection', keepQueuedContext);
    });
  }
}

function wrapConnectionQuery(original: AnyMethod): AnyMethod {
  return function query(this: unknown, ...args: unknown[]) {
    if (!queriesWanted()) return original.apply(this, args);
    // no closure around issuedAt: each function between the hook and the stack capture is a frame V8 walks
    let issued: Issued | undefined;
    try {
      if (!issuerPending() && ownCaptureWanted()) {
        // no pool call lends its frames: issuedAt's own capture, taken in this body
        const holder: StackHolder = {};
        const limit = openOwnCapture(query);
        let stack: FrameSource;
        try {
          Error.captureStackTrace(holder, query);
        } finally {
          stack = closeOwnCapture(holder, query, limit);
        }
        issued = { frames: stack, scope: currentScope() };
      } else issued = issuedAt(query);
    } catch (error) {
      noteFault('mysql issue', error);
    }
    const startedAt = performance.now();
    const sequence = original.apply(this, args);
    if (!issued || typeof sequence !== 'object' || sequence === null) return sequence;
    try {
      keep(sequence as QuerySequence & Carrier, { startedAt, stack: issued.frames, scope: issued.scope });
      const sql = (sequence as QuerySequence).sql;
      if (issued.scope && typeof sql === 'string') rememberPlan(sql, () => mysqlPlan(original, this, sql));
    } catch (error) {
      noteFault('mysql issue', error);
    }
    return sequence;
  };
}

/** Keeps `state` on its sequence; a streaming one (no callback) counts its rows from `result` events. */
function keep(sequence: QuerySequence & Carrier, state: Pending): void {
  sequence[PENDING] = state;
  if (!sequence._callback && typeof sequence.on === 'function') {
    // streaming: rows arrive as events (a listener of ours changes nothing for the app's)
    state.streamedRows = 0;
    sequence.on.call(sequence, 'result', (row: unknown) => {
      state.streamedRows = (state.streamedRows ?? 0) + (isOkPacket(row) ? affected(row) : 1);
    });
  }
}

function wrapEnd(original: AnyMethod): AnyMethod {
  return function end(this: unknown, ...args: unknown[]) {
    const sequence = this as QuerySequence & Carrier;
    const state = sequence[PENDING];
    if (state) {
      sequence[PENDING] = undefined;
      try {
        record(sequence, state, args[0], args[1]);
      } catch (error) {
        noteFault('mysql record', error);
      }
    }
    return original.apply(this, args);
  };
}

function record(sequence: QuerySequence, state: Pending, error: unknown, results: unknown): void {
  const failed = error !== undefined && error !== null;
  recorder?.(
    withLazyStack(
      {
        driver: 'mysql',
        sql: typeof sequence.sql === 'string' ? sequence.sql : '',
        params: Array.isArray(sequence.values) ? [...sequence.values] : undefined,
        startedAt: state.startedAt,
        durationMs: performance.now() - state.startedAt,
        rows: failed ? null : (state.streamedRows ?? mysqlRows(results)),
        read: failed || state.streamedRows !== undefined ? undefined : resultSetsRead(results),
        error: failed ? errorMessage(error) : undefined,
        scope: state.scope,
      },
      state.stack,
    ),
  );
}

/** EXPLAIN through the same connection (values are already inlined in the text), with its notes. */
function mysqlPlan(original: AnyMethod, connection: unknown, sql: string): Promise<string[]> {
  return explainWithNotes((text, params, done) => original.call(connection, text, params, done), sql, []);
}

function isOkPacket(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { affectedRows?: unknown }).affectedRows === 'number' &&
    (value as object).constructor?.name === 'OkPacket'
  );
}

function affected(value: unknown): number {
  const count = (value as { affectedRows?: unknown }).affectedRows;
  return typeof count === 'number' ? count : 0;
}

/**
 * Rows of a callback-mode result: an array of rows (SELECT), an OkPacket
 * (writes: affectedRows), or for multi-statement text an array of those.
 */
export function mysqlRows(results: unknown): number | null {
  if (isOkPacket(results)) return affected(results);
  if (!Array.isArray(results)) return null;
  const multi =
    results.length > 0 && results.some(isOkPacket) && results.every((p) => isOkPacket(p) || Array.isArray(p));
  const nested = results.length > 1 && results.every((part) => Array.isArray(part));
  if (!multi && !nested) return results.length;
  let total = 0;
  for (const part of results) total += isOkPacket(part) ? affected(part) : (part as unknown[]).length;
  return total;
}
