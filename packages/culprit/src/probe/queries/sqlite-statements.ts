/**
 * better-sqlite3 and node:sqlite share one shape: synchronous prepared
 * statements with `all/get/run/iterate` and a database `exec`. The hooks time
 * each call around the original, count rows from its result, and rethrow the
 * app's own error untouched.
 */

import type { RowsRead } from '../../capture/types.js';
import { noteFault } from '../faults.js';
import { countedTally, currentScope, queriesWanted } from '../request-context.js';
import { rememberPlan } from './explain-registry.js';
import { type AnyMethod, errorMessage, guarded, patchMethod } from './patch.js';
import { type Issued, issuedAt, issuerPending, noFrames } from './pool-stack.js';
import { rowsRead } from './rows-read.js';
import { withLazyStack } from './stack.js';
import type { QueryDriver, QueryRecorder } from './types.js';

export interface SqliteHookTarget {
  driver: QueryDriver;
  /** Reads the statement's SQL text (`source` in better-sqlite3, `sourceSQL` in node:sqlite). */
  sqlOf: (statement: unknown) => string;
  recorder: () => QueryRecorder | undefined;
  /** Parameters bound to the statement beforehand (better-sqlite3's `bind()`, which Prisma's adapter uses). */
  boundOf?: (statement: unknown) => unknown[] | undefined;
}

/** The call's own parameters, else those bound to the statement. */
function paramsOf(target: SqliteHookTarget, statement: unknown, args: unknown[]): unknown[] | undefined {
  return args.length > 0 ? [...args] : target.boundOf?.(statement);
}

const rowCounters: Record<string, (result: unknown) => number | null> = {
  all: (result) => (Array.isArray(result) ? result.length : null),
  get: (result) => (result === undefined ? 0 : 1),
  run: (result) => {
    const changes = (result as { changes?: unknown } | null)?.changes;
    return typeof changes === 'number' ? changes : typeof changes === 'bigint' ? Number(changes) : null;
  },
};

/** Patches a Statement prototype (idempotent: each method once). */
/** What the rows of `all` and `get` weigh, from the first row (a `raw()` statement's rows are arrays: named by `columns()`). */
const rowReaders: Record<string, (result: unknown, statement: unknown) => RowsRead | undefined> = {
  all: (result, statement) =>
    Array.isArray(result) ? rowsRead(result[0], result.length, columnNames(statement)) : undefined,
  get: (result, statement) => rowsRead(result, result === undefined ? 0 : 1, columnNames(statement)),
};

/** Names of a statement's result columns, asked of the statement only when a wide array row needs them. */
function columnNames(statement: unknown): (index: number) => string | undefined {
  let names: unknown[] | undefined;
  return (index) => {
    if (!names) {
      const columns = (statement as { columns?: unknown } | null)?.columns;
      names = typeof columns === 'function' ? (columns.call(statement) as unknown[]) : [];
    }
    const name = (names[index] as { name?: unknown } | undefined)?.name;
    return typeof name === 'string' ? name : undefined;
  };
}

export function patchStatementPrototype(proto: object, target: SqliteHookTarget): void {
  for (const [name, countRows] of Object.entries(rowCounters)) {
    patchMethod(proto, name, (original) =>
      timed(original, target, (self) => target.sqlOf(self), countRows, rowReaders[name]),
    );
  }
  patchMethod(proto, 'iterate', (original) => iterate(original, target));
}

/** Patches `exec(sql)` of a Database prototype: multi-statement text, no rows figure. */
export function patchExec(proto: object, target: SqliteHookTarget): void {
  patchMethod(proto, 'exec', (original) =>
    timed(
      original,
      target,
      (_self, args) => (typeof args[0] === 'string' ? args[0] : ''),
      () => null,
    ),
  );
}

function timed(
  original: AnyMethod,
  target: SqliteHookTarget,
  sqlOf: (self: unknown, args: unknown[]) => string,
  countRows: (result: unknown) => number | null,
  readRows?: (result: unknown, statement: unknown) => RowsRead | undefined,
): AnyMethod {
  return function statementCall(this: unknown, ...args: unknown[]) {
    if (!queriesWanted()) return original.apply(this, args);
    // a request `culprit watch` only counts: the query and its rows are counted, nothing else is read
    const tally = countedTally();
    if (tally && !issuerPending()) {
      tally.queries += 1; // counted before it runs: a failed query counts, with no rows (as recordQuery counts it)
      const result = original.apply(this, args);
      tally.rows += countRows(result) ?? 0;
      return result;
    }
    // issuedAt: a query library may have carried the app's frames and request here (knex.ts); called from
    // here, with no closure (guarded) between: each function between the hook and the capture is a frame V8 walks
    let issued: Issued;
    try {
      issued = issuedAt(statementCall);
    } catch (error) {
      issued = notIssued(target, error);
    }
    if (issued.scope) {
      try {
        rememberSqlitePlan(this, target, args);
      } catch (error) {
        noteFault(`${target.driver} plan`, error);
      }
    }
    const startedAt = performance.now();
    let result: unknown;
    try {
      result = original.apply(this, args);
    } catch (error) {
      emit(target, this, args, sqlOf, startedAt, issued, null, error);
      throw error;
    }
    emit(target, this, args, sqlOf, startedAt, issued, result, undefined, countRows, readRows);
    return result;
  };
}

/** A statement whose stack could not be taken: recorded with no frames, in the current request. */
function notIssued(target: SqliteHookTarget, error: unknown): Issued {
  noteFault(`${target.driver} stack`, error);
  return { frames: noFrames, scope: currentScope() };
}

/** EXPLAIN QUERY PLAN through the statement's own database (better-sqlite3 exposes it as `database`). */
function rememberSqlitePlan(statement: unknown, target: SqliteHookTarget, args: unknown[]): void {
  const database = (statement as { database?: { prepare?: unknown } } | null)?.database;
  if (typeof database?.prepare !== 'function') return;
  const sql = target.sqlOf(statement);
  rememberPlan(sql, async () => {
    const explain = (database.prepare as (text: string) => { all: (...params: unknown[]) => unknown[] }).call(
      database,
      `EXPLAIN QUERY PLAN ${sql}`,
    );
    return explain
      .all(...(paramsOf(target, statement, args) ?? []))
      .map((row) => String((row as { detail?: unknown }).detail ?? ''));
  });
}

function emit(
  target: SqliteHookTarget,
  self: unknown,
  args: unknown[],
  sqlOf: (self: unknown, args: unknown[]) => string,
  startedAt: number,
  issued: Issued,
  result: unknown,
  error: unknown,
  countRows?: (result: unknown) => number | null,
  readRows?: (result: unknown, statement: unknown) => RowsRead | undefined,
): void {
  const durationMs = performance.now() - startedAt;
  try {
    target.recorder()?.(
      withLazyStack(
        {
          driver: target.driver,
          sql: sqlOf(self, args),
          params: paramsOf(target, self, args),
          startedAt,
          durationMs,
          rows: error !== undefined || !countRows ? null : countRows(result),
          read: error !== undefined || !readRows ? undefined : readRows(result, self),
          error: error !== undefined ? errorMessage(error) : undefined,
          scope: issued.scope,
        },
        issued.frames,
      ),
    );
  } catch (failure) {
    noteFault(`${target.driver} record`, failure);
  }
}

/**
 * `iterate()` returns rows lazily: count them as the app pulls them and record
 * when the iterator is exhausted or closed early (duration then includes the
 * app's own work between rows). The iterator object itself is returned as is.
 */
function iterate(original: AnyMethod, target: SqliteHookTarget): AnyMethod {
  return function statementIterate(this: unknown, ...args: unknown[]) {
    if (!queriesWanted()) return original.apply(this, args);
    // issuedAt: a query library may have carried the app's frames and request here (knex.ts)
    let issued: Issued;
    try {
      issued = issuedAt(statementIterate);
    } catch (error) {
      issued = notIssued(target, error);
    }
    const startedAt = performance.now();
    const sql = guarded(`${target.driver} sql`, '', () => target.sqlOf(this));
    let iterator: unknown;
    try {
      iterator = original.apply(this, args);
    } catch (error) {
      emit(target, this, args, () => sql, startedAt, issued, null, error);
      throw error;
    }
    guarded(`${target.driver} iterate`, undefined, () => {
      const it = iterator as { next: AnyMethod; return?: AnyMethod };
      const next = it.next;
      const close = it.return;
      let rows = 0;
      let first: unknown;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        emit(
          target,
          this,
          args,
          () => sql,
          startedAt,
          issued,
          rows,
          undefined,
          (count) => count as number,
          (count) => rowsRead(first, count as number, columnNames(this)),
        );
      };
      it.next = function (this: unknown, ...nextArgs: unknown[]) {
        const step = next.apply(this, nextArgs) as { done?: boolean };
        if (step?.done) finish();
        else if (rows++ === 0) first = (step as { value?: unknown }).value;
        return step;
      };
      if (typeof close === 'function') {
        it.return = function (this: unknown, ...returnArgs: unknown[]) {
          finish();
          return close.apply(this, returnArgs);
        };
      }
    });
    return iterator;
  };
}
