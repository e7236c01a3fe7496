/**
 * mariadb (the MariaDB connector) has no hooks, and its internals are not
 * reachable: 3.5 ships ES modules (`lib/`, what `import` gets) and a minified
 * CommonJS bundle (`dist/*.cjs`, what `require` gets), and its public classes
 * hold their connection in a private field. So the hook sits on the public
 * API, where the app's frames are on the stack anyway:
 * - promise API (`mariadb`): `query/execute/batch` of connections and pools;
 * - callback API (`mariadb/callback`): the same methods, callback last.
 * A pool's query is recorded once, at the pool (it runs on an internal
 * connection, not through a public one), from the call to its result, so the
 * wait for a free connection is included. The classes are reached from the
 * ES modules that define them (esm-hook.ts) or, for the bundle, from the
 * first connection or pool its `create*` functions hand out.
 */

import { noteFault } from '../faults.js';
import type { FrameSource, StackHolder } from '../frame-source.js';
import { currentScope, queriesWanted, type RequestScope } from '../request-context.js';
import { MARIADB_CLASS_FILES } from './driver-files.js';
import { onEsmFile } from './esm-hook.js';
import { explainMeasured, explainWithNotes, type RunOnConnection, rememberPlan } from './explain-registry.js';
import { onCommonJsFile, packageFile } from './module-hook.js';
import { type AnyMethod, errorMessage, guarded, patchMethod } from './patch.js';
import { resultSetsRead } from './rows-read.js';
import { captureStackLazily, closeOwnCapture, openOwnCapture, ownCaptureWanted, withLazyStack } from './stack.js';
import type { QueryRecorder } from './types.js';

let recorder: QueryRecorder | undefined;
let installed = false;

type Api = 'promise' | 'callback';
const METHODS = ['query', 'execute', 'batch'];

export function install(record: QueryRecorder): void {
  recorder = record;
  if (installed) return;
  installed = true;
  for (const [file, api] of MARIADB_CLASS_FILES) {
    const patchClass = (exports: unknown) => {
      const holder = exports as { default?: unknown } | undefined;
      const cls = typeof exports === 'function' ? exports : holder?.default;
      const proto = (cls as { prototype?: object } | undefined)?.prototype;
      if (proto) patchPrototype(proto, api);
    };
    onEsmFile('mariadb', packageFile('mariadb', file), patchClass);
    onCommonJsFile(packageFile('mariadb', file), patchClass);
  }
  onCommonJsFile(packageFile('mariadb', 'dist/promise.cjs'), (exports) => bundleExports(exports, 'promise'));
  onCommonJsFile(packageFile('mariadb', 'dist/callback.cjs'), (exports) => bundleExports(exports, 'callback'));
}

function patchPrototype(proto: object, api: Api): void {
  for (const name of METHODS) {
    patchMethod(proto, name, (original) => (api === 'promise' ? wrapPromise(original) : wrapCallback(original)));
  }
  // connections a pool hands out are instances of the connection class: reach it from the first one
  patchMethod(proto, 'getConnection', (original) => wrapGetConnection(original, api));
}

/**
 * The bundle's exports are getters that cannot be redefined: export a copy
 * whose `create*` functions patch the classes of what they create.
 */
function bundleExports(exports: unknown, api: Api): object | undefined {
  if (typeof exports !== 'object' || exports === null) return undefined;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(exports)) copy[key] = (exports as Record<string, unknown>)[key];
  for (const name of ['createConnection', 'createPool', 'createPoolCluster']) {
    const create = copy[name];
    if (typeof create !== 'function') continue;
    copy[name] = function (this: unknown, ...args: unknown[]) {
      const made = (create as AnyMethod).apply(this, args);
      return then(made, (instance) => patchInstance(instance, api));
    };
  }
  if (typeof copy.default === 'object' && copy.default !== null) copy.default = { ...copy.default, ...copy };
  Object.defineProperty(copy, '__esModule', { value: true });
  return copy;
}

function patchInstance(instance: unknown, api: Api): void {
  guarded('mariadb patch', undefined, () => {
    const proto = typeof instance === 'object' && instance !== null ? Object.getPrototypeOf(instance) : null;
    if (proto && proto !== Object.prototype) patchPrototype(proto, api);
  });
}

/** Runs `fn` on a value or, for a promise, on what it resolves to; the value passes through unchanged. */
function then(value: unknown, fn: (resolved: unknown) => void): unknown {
  if (value instanceof Promise) {
    return value.then((resolved) => {
      fn(resolved);
      return resolved;
    });
  }
  fn(value);
  return value;
}

function wrapGetConnection(original: AnyMethod, api: Api): AnyMethod {
  return function getConnection(this: unknown, ...args: unknown[]) {
    if (api === 'promise') return then(original.apply(this, args), (conn) => patchInstance(conn, api));
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback !== 'function') return original.apply(this, args);
    const patched = [...args];
    patched[last] = function (this: unknown, ...result: unknown[]) {
      if (!result[0]) patchInstance(result[1], api);
      return (callback as AnyMethod).apply(this, result);
    };
    return original.apply(this, patched);
  };
}

interface Issued {
  sql: string;
  params: unknown[] | undefined;
  startedAt: number;
  stack: FrameSource;
  scope: RequestScope | undefined;
}

function issue(args: unknown[], stack: FrameSource): Issued {
  const [first, second] = args;
  const options = typeof first === 'object' && first !== null ? (first as { sql?: unknown; values?: unknown }) : {};
  const sql = typeof first === 'string' ? first : String(options.sql ?? '');
  const values = typeof second === 'function' || second === undefined ? options.values : second;
  return {
    sql,
    params: Array.isArray(values) ? [...values] : values === undefined || values === null ? undefined : [values],
    startedAt: performance.now(),
    stack,
    scope: currentScope(),
  };
}

function wrapPromise(original: AnyMethod): AnyMethod {
  return function query(this: unknown, ...args: unknown[]) {
    if (!queriesWanted()) return original.apply(this, args);
    let issued: Issued | undefined;
    try {
      // the stack taken in this body, not in issue() or a helper: each function in between is a frame V8 walks
      let stack: FrameSource;
      if (ownCaptureWanted()) {
        const holder: StackHolder = {};
        const limit = openOwnCapture(query);
        try {
          Error.captureStackTrace(holder, query);
        } finally {
          stack = closeOwnCapture(holder, query, limit);
        }
      } else stack = captureStackLazily(query);
      issued = issue(args, stack);
    } catch (error) {
      noteFault('mariadb issue', error);
    }
    const result = original.apply(this, args);
    if (!issued || !(result instanceof Promise)) return result;
    if (issued.scope) rememberPlan(issued.sql, () => mariadbPlan(original, this, issued, 'promise'));
    // the app gets the promise that settles after recording: an unhandled rejection stays unhandled
    return result.then(
      (value) => {
        finish(issued, undefined, value);
        return value;
      },
      (error: unknown) => {
        finish(issued, error, undefined);
        throw error;
      },
    );
  };
}

function wrapCallback(original: AnyMethod): AnyMethod {
  return function query(this: unknown, ...args: unknown[]) {
    const last = args.length - 1;
    const callback = args[last];
    if (!queriesWanted() || typeof callback !== 'function' || last < 1) return original.apply(this, args);
    let issued: Issued | undefined;
    try {
      let stack: FrameSource;
      if (ownCaptureWanted()) {
        const holder: StackHolder = {};
        const limit = openOwnCapture(query);
        try {
          Error.captureStackTrace(holder, query);
        } finally {
          stack = closeOwnCapture(holder, query, limit);
        }
      } else stack = captureStackLazily(query);
      issued = issue(args.slice(0, last), stack);
    } catch (error) {
      noteFault('mariadb issue', error);
    }
    if (!issued) return original.apply(this, args);
    if (issued.scope) rememberPlan(issued.sql, () => mariadbPlan(original, this, issued, 'callback'));
    const patched = [...args];
    patched[last] = function (this: unknown, ...result: unknown[]) {
      finish(issued, result[0] ?? undefined, result[1]);
      return (callback as AnyMethod).apply(this, result);
    };
    return original.apply(this, patched);
  };
}

function finish(issued: Issued, error: unknown, result: unknown): void {
  guarded('mariadb record', undefined, () =>
    recorder?.(
      withLazyStack(
        {
          driver: 'mariadb',
          sql: issued.sql,
          params: issued.params,
          startedAt: issued.startedAt,
          durationMs: performance.now() - issued.startedAt,
          rows: error ? null : mariadbRows(result),
          read: error ? undefined : resultSetsRead(result),
          error: error ? errorMessage(error) : undefined,
          scope: issued.scope,
        },
        issued.stack,
      ),
    ),
  );
}

/**
 * EXPLAIN through the same connection or pool, with the statement's own values, unhooked. A connection also
 * answers the EXPLAIN's notes; a pool could run SHOW WARNINGS on another of its connections.
 */
function mariadbPlan(original: AnyMethod, target: unknown, issued: Issued, api: Api): Promise<string[]> {
  const run: RunOnConnection = (sql, params, done) => {
    if (api === 'callback') return void original.call(target, sql, params, done);
    Promise.resolve(original.call(target, sql, params)).then(
      (rows) => done(null, rows),
      (error) => done(error, undefined),
    );
  };
  if (!isPool(target)) return explainWithNotes(run, issued.sql, issued.params ?? []);
  return explainMeasured(run, issued.sql, issued.params ?? []);
}

/** A pool hands out connections; a connection (a pool's included) has none to hand out. */
function isPool(target: unknown): boolean {
  return typeof (target as { getConnection?: unknown } | null)?.getConnection === 'function';
}

function affected(value: unknown): number | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const count = (value as { affectedRows?: unknown }).affectedRows;
  return typeof count === 'number' ? count : typeof count === 'bigint' ? Number(count) : null;
}

/** A result set: the rows array carries its column `meta`. */
function isResultSet(value: unknown): value is unknown[] {
  return Array.isArray(value) && 'meta' in value;
}

/**
 * Rows of a result: rows (SELECT, an array with `meta`), an OkPacket (writes:
 * affectedRows), or, for several statements, an array of those.
 */
export function mariadbRows(result: unknown): number | null {
  const written = affected(result);
  if (written !== null) return written;
  if (!Array.isArray(result)) return null;
  if (isResultSet(result)) return result.length;
  const parts = result.length > 0 && result.every((part) => isResultSet(part) || affected(part) !== null);
  if (!parts) return result.length;
  let total = 0;
  for (const part of result) total += isResultSet(part) ? part.length : (affected(part) ?? 0);
  return total;
}
