/**
 * node-sqlite3 (the `sqlite3` package Knex, Sequelize and TypeORM use for
 * SQLite) has no hooks and an asynchronous callback API: `Database#all/get/
 * run/each(sql, ...params, callback)`. Each call with a callback gets a
 * callback of ours in its place that records the statement, then calls the
 * app's with the same `this` (run's `this.changes`) and arguments. A call
 * without a callback is left alone: adding one would swallow the 'error'
 * event the app may listen to.
 */

import type { RowsRead } from '../../capture/types.js';
import { noteFault } from '../faults.js';
import type { FrameSource } from '../frame-source.js';
import { queriesWanted, type RequestScope } from '../request-context.js';
import { rememberPlan } from './explain-registry.js';
import { onCommonJsFile, packageFile } from './module-hook.js';
import { type AnyMethod, errorMessage, guarded, patchMethod } from './patch.js';
import { issuedAt, noFrames } from './pool-stack.js';
import { rowsRead } from './rows-read.js';
import { withLazyStack } from './stack.js';
import type { QueryRecorder } from './types.js';

let recorder: QueryRecorder | undefined;
let installed = false;

type Callback = (this: unknown, ...args: unknown[]) => unknown;

/** Rows from the arguments (and `this`) the driver passes to the completion callback. */
const rowCounters: Record<string, (self: unknown, args: unknown[], eachRows: number) => number | null> = {
  all: (_self, args) => (Array.isArray(args[1]) ? args[1].length : null),
  get: (_self, args) => (args[1] === undefined ? 0 : 1),
  run: (self) => {
    const changes = (self as { changes?: unknown } | null)?.changes;
    return typeof changes === 'number' ? changes : null;
  },
  each: (_self, _args, eachRows) => eachRows,
};

export function install(record: QueryRecorder): void {
  recorder = record;
  if (installed) return;
  installed = true;
  onCommonJsFile(packageFile('sqlite3', 'lib/sqlite3.js'), (exports) => {
    const proto = (exports as { Database?: { prototype?: object } } | undefined)?.Database?.prototype;
    if (!proto) return;
    const all = (proto as { all?: unknown }).all;
    for (const name of Object.keys(rowCounters)) {
      patchMethod(proto, name, (original) =>
        wrap(original, name, typeof all === 'function' ? (all as AnyMethod) : undefined),
      );
    }
  });
}

interface Issued {
  sql: string;
  params: unknown[];
  startedAt: number;
  stack: FrameSource;
  scope: RequestScope | undefined;
}

function wrap(original: AnyMethod, method: string, all: AnyMethod | undefined): AnyMethod {
  return function sqlite3Call(this: unknown, ...args: unknown[]) {
    const last = args.length - 1;
    if (!queriesWanted() || typeof args[0] !== 'string' || typeof args[last] !== 'function') {
      return original.apply(this, args);
    }
    // each(sql, params…, onRow, onComplete): both are functions; the completion is the last
    const rowCallbackAt = method === 'each' && typeof args[last - 1] === 'function' ? last - 1 : -1;
    const firstCallback = rowCallbackAt >= 0 ? rowCallbackAt : last;
    let issued: Issued | undefined;
    // no closure around issuedAt: each function between the hook and V8's capture is a frame walked
    try {
      const given = args.slice(1, firstCallback);
      // issuedAt: a query library may have carried the app's frames and request here (knex.ts)
      const { frames, scope } = issuedAt(sqlite3Call);
      issued = {
        sql: args[0] as string,
        params: given.length === 1 && Array.isArray(given[0]) ? [...given[0]] : given,
        startedAt: performance.now(),
        stack: frames,
        scope,
      };
    } catch (error) {
      noteFault('sqlite3 issue', error);
    }
    if (!issued) return original.apply(this, args);
    if (issued.scope && all) {
      rememberPlan(issued.sql, () => sqlite3Plan(all, this, issued));
    }
    const patched = [...args];
    let eachRows = 0;
    if (rowCallbackAt >= 0) {
      const onRow = args[rowCallbackAt] as Callback;
      patched[rowCallbackAt] = function (this: unknown, ...rowArgs: unknown[]) {
        if (!rowArgs[0]) eachRows++;
        return onRow.apply(this, rowArgs);
      };
    }
    const done = args[last] as Callback;
    patched[last] = function (this: unknown, ...doneArgs: unknown[]) {
      guarded('sqlite3 record', undefined, () => record(issued, method, this, doneArgs, eachRows));
      return done.apply(this, doneArgs);
    };
    return original.apply(this, patched);
  };
}

function record(issued: Issued, method: string, self: unknown, args: unknown[], eachRows: number): void {
  const error = args[0];
  recorder?.(
    withLazyStack(
      {
        driver: 'sqlite3',
        sql: issued.sql,
        params: issued.params,
        startedAt: issued.startedAt,
        durationMs: performance.now() - issued.startedAt,
        rows: error ? null : (rowCounters[method]?.(self, args, eachRows) ?? null),
        read: error ? undefined : sqlite3Read(method, args[1]),
        error: error ? errorMessage(error) : undefined,
        scope: issued.scope,
      },
      issued.stack ?? noFrames,
    ),
  );
}

/** EXPLAIN QUERY PLAN through the same database handle, with the unhooked `all`. */
function sqlite3Plan(all: AnyMethod, database: unknown, issued: Issued): Promise<string[]> {
  return new Promise((resolve, reject) => {
    all.call(database, `EXPLAIN QUERY PLAN ${issued.sql}`, issued.params, (error: unknown, rows: unknown) => {
      if (error) return reject(error);
      resolve((Array.isArray(rows) ? rows : []).map((row) => String((row as { detail?: unknown }).detail ?? '')));
    });
  });
}

/** `all`'s rows or `get`'s row, sampled on the first (`each` hands rows to the app one by one: not sampled). */
function sqlite3Read(method: string, rows: unknown): RowsRead | undefined {
  if (method === 'all') return Array.isArray(rows) ? rowsRead(rows[0], rows.length) : undefined;
  if (method === 'get') return rowsRead(rows, rows === undefined ? 0 : 1);
  return undefined;
}
