/**
 * pg 8 has no diagnostics channel: `Client.prototype.query` is the extension
 * point (pools, pg-promise, Sequelize, TypeORM, Knex, Drizzle all end there).
 * The hook gives every query a callback of its own and, when the caller
 * wanted a promise, builds the same promise pg builds (`client._Promise`, the
 * same rejection stack rewrite), so results and errors reach the app as before.
 * `pg-pool`'s `Pool.prototype.query` is wrapped only to carry the caller's stack.
 */

import type { RowsRead } from '../../capture/types.js';
import { noteFault } from '../faults.js';
import type { FrameSource } from '../frame-source.js';
import { queriesWanted, type RequestScope } from '../request-context.js';
import { rememberPlan } from './explain-registry.js';
import { onCommonJsFile, packageFile } from './module-hook.js';
import { type AnyMethod, errorMessage, patchMethod } from './patch.js';
import { carryPoolStack, issuedAt, keepQueuedContext } from './pool-stack.js';
import { addRead, rowsRead } from './rows-read.js';
import { withLazyStack } from './stack.js';
import type { QueryRecorder } from './types.js';

let recorder: QueryRecorder | undefined;
let installed = false;

export function install(record: QueryRecorder): void {
  recorder = record;
  if (installed) return;
  installed = true;
  onCommonJsFile(packageFile('pg', 'lib/client.js'), (exports) => patchPrototype(exports, 'query', wrapClientQuery));
  onCommonJsFile(packageFile('pg-pool', 'index.js'), (exports) => {
    patchPrototype(exports, 'query', (original) => carryPoolStack('pg pool stack', original));
    patchPrototype(exports, 'connect', keepQueuedContext);
  });
}

function patchPrototype(exports: unknown, name: string, wrap: (original: AnyMethod) => AnyMethod): void {
  const proto = (exports as { prototype?: object } | undefined)?.prototype;
  if (proto) patchMethod(proto, name, wrap);
}

type Callback = (error: unknown, result: unknown) => void;
interface PgConfig {
  text?: unknown;
  values?: unknown;
  callback?: unknown;
  submit?: unknown;
}

interface Pending {
  sql: string;
  params: unknown[] | undefined;
  startedAt: number;
  stack: FrameSource;
  scope: RequestScope | undefined;
}

function wrapClientQuery(original: AnyMethod): AnyMethod {
  return function query(this: unknown, ...args: unknown[]) {
    const [config, values, callback] = args;
    if (!queriesWanted()) return original.apply(this, args);
    if (config === null || (typeof config !== 'string' && typeof config !== 'object'))
      return original.apply(this, args);
    const pending = begin(config as string | PgConfig, values, query);
    if (!pending) return original.apply(this, args);
    noteSessionSetting(this, pending.sql);
    if (pending.scope) rememberPlan(pending.sql, () => pgPlan(original, this, pending));
    const cfg = config as PgConfig;
    if (typeof config === 'object' && typeof cfg.submit === 'function') {
      // Cursors and streams: no rows figure without consuming them; record the statement.
      finish(pending, null, null);
      return original.apply(this, args);
    }
    const userCallback = typeof values === 'function' ? values : (callback ?? cfg.callback);
    const params = typeof values === 'function' ? undefined : values;
    if (typeof userCallback === 'function') {
      return original.call(this, config, params, (error: unknown, result: unknown) => {
        finish(pending, error, result);
        (userCallback as Callback).call(undefined, error, result);
      });
    }
    const PromiseClass = promiseClassOf(this);
    return new PromiseClass((resolve, reject) => {
      original.call(this, config, params, (error: unknown, result: unknown) => {
        finish(pending, error, result);
        if (error) reject(error);
        else resolve(result);
      });
    }).catch((error: unknown) => {
      // as pg does: point the rejection's stack back at the app rather than the socket
      if (error instanceof Error) Error.captureStackTrace(error);
      throw error;
    });
  };
}

/** EXPLAIN through the same client, unhooked (a plan is not one of the app's queries). */
/**
 * The plan through the client that ran the statement, or, when that client was closed since (a pool
 * closes clients idle for 10 s: a request that ran longer lost every plan, "Client was closed and is
 * not queryable"), through a new client of the same class and the same connection parameters, ended
 * after it.
 */
async function pgPlan(original: AnyMethod, client: unknown, pending: Pending): Promise<string[]> {
  if (queryable(client)) return explainOn(original, client, pending);
  const fresh = sibling(client);
  if (!fresh) return explainOn(original, client, pending); // its own error says why
  await fresh.connect();
  try {
    const settings = sessionSettings.get(client as object);
    if (settings) await explainOn(original, fresh, { ...pending, sql: settings, params: undefined }, '');
    return await explainOn(original, fresh, pending);
  } finally {
    await fresh.end().catch((error: unknown) => noteFault('pg plan client end', error));
  }
}

interface PgClientState {
  _ending?: unknown;
  _queryable?: unknown;
  connectionParameters?: unknown;
}

/** pg's own flags: `end()` was called, or a connection error left the client unusable. */
function queryable(client: unknown): boolean {
  const state = client as PgClientState | null;
  return !(state?._ending === true || state?._queryable === false);
}

interface FreshClient {
  connect: () => Promise<unknown>;
  end: () => Promise<unknown>;
}

function sibling(client: unknown): FreshClient | undefined {
  const params = (client as PgClientState | null)?.connectionParameters;
  const Client = (client as { constructor?: unknown } | null)?.constructor;
  if (typeof Client !== 'function' || typeof params !== 'object' || params === null) return undefined;
  return new (Client as new (config: object) => FreshClient)(params);
}

/**
 * `SET search_path …` a client ran (pg-promise's `schema` option, an app's own per-connection set-up): a
 * client opened later to EXPLAIN a statement of that client needs the same, or its tables are not found.
 */
const sessionSettings = new WeakMap<object, string>();
const SEARCH_PATH = /^\s*set\s+(?:session\s+)?search_path\b/i;

function noteSessionSetting(client: unknown, sql: string): void {
  // run on every recorded query: most start with another letter than s, and need no pattern
  const first = sql.charCodeAt(0);
  if ((first | 0x20) !== 0x73 && first > 0x20) return;
  if (typeof client === 'object' && client !== null && SEARCH_PATH.test(sql)) sessionSettings.set(client, sql);
}

function explainOn(original: AnyMethod, client: unknown, pending: Pending, verb = 'EXPLAIN '): Promise<string[]> {
  return new Promise((resolve, reject) => {
    original.call(client, `${verb}${pending.sql}`, pending.params ?? [], (error: unknown, result: unknown) => {
      if (error) return reject(error);
      const rows = (result as { rows?: Array<Record<string, unknown>> } | null)?.rows ?? [];
      resolve(rows.map((row) => String(row['QUERY PLAN'] ?? Object.values(row)[0] ?? '')));
    });
  });
}

function promiseClassOf(client: unknown): PromiseConstructor {
  const candidate = (client as { _Promise?: unknown } | null)?._Promise;
  return typeof candidate === 'function' ? (candidate as PromiseConstructor) : Promise;
}

/** The query's text, params, start, stack and request; undefined (a noted fault) if reading them failed. */
function begin(config: string | PgConfig, values: unknown, below: (...args: never[]) => unknown): Pending | undefined {
  // no closure around it (guarded): each function between the hook and the stack capture is a frame V8 walks
  try {
    const sql = typeof config === 'string' ? config : String(config.text ?? '');
    const given = Array.isArray(values) ? values : typeof config === 'object' ? config.values : undefined;
    const issued = issuedAt(below);
    return {
      sql,
      params: Array.isArray(given) ? [...given] : undefined,
      startedAt: performance.now(),
      stack: issued.frames,
      scope: issued.scope,
    };
  } catch (error) {
    noteFault('pg query', error);
    return undefined;
  }
}

function finish(pending: Pending, error: unknown, result: unknown): void {
  try {
    recorder?.(
      withLazyStack(
        {
          driver: 'pg',
          sql: pending.sql,
          params: pending.params,
          startedAt: pending.startedAt,
          durationMs: performance.now() - pending.startedAt,
          rows: error ? null : pgRows(result),
          read: error ? undefined : pgRead(result),
          error: error ? errorMessage(error) : undefined,
          scope: pending.scope,
        },
        pending.stack,
      ),
    );
  } catch (failure) {
    noteFault('pg record', failure);
  }
}

/** pg's `rowCount` is the command tag's count (SELECT n, UPDATE n); multi-statement text gives an array. */
export function pgRows(result: unknown): number | null {
  if (Array.isArray(result)) {
    let total: number | null = null;
    for (const part of result) {
      const rows = pgRows(part);
      if (rows !== null) total = (total ?? 0) + rows;
    }
    return total;
  }
  if (typeof result !== 'object' || result === null) return null;
  const { rowCount, rows } = result as { rowCount?: unknown; rows?: unknown };
  if (typeof rowCount === 'number') return rowCount;
  return Array.isArray(rows) && rows.length > 0 ? rows.length : null;
}

/** The rows' weight from each result's first row (`rowMode: 'array'` rows are named by `fields`). */
export function pgRead(result: unknown): RowsRead | undefined {
  if (Array.isArray(result)) {
    let total: RowsRead | undefined;
    for (const part of result) total = addRead(total, pgRead(part));
    return total;
  }
  if (typeof result !== 'object' || result === null) return undefined;
  const { rows, fields } = result as { rows?: unknown; fields?: unknown };
  if (!Array.isArray(rows) || rows.length === 0) return undefined;
  const nameAt = (index: number): string | undefined => {
    const name = Array.isArray(fields) ? (fields[index] as { name?: unknown } | undefined)?.name : undefined;
    return typeof name === 'string' ? name : undefined;
  };
  return rowsRead(rows[0], rows.length, nameAt);
}
