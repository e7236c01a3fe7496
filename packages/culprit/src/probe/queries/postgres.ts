/**
 * postgres.js (the `postgres` package) has no hooks. Its queries are `Query`
 * objects (a Promise subclass) that run only when awaited (`then`), executed
 * (`execute()`) or iterated, and are also built as fragments that never run:
 * so a statement is recorded when it runs, never when it is written.
 *
 * - The app's line: `sql\`…\`` constructs the Query synchronously in the
 *   app's code, but by `then()` (a microtask of the `await`) the app's frames
 *   are gone. The constructor assigns `this.handler = handler`; a `handler`
 *   accessor on `Query.prototype` sees that assignment and takes the stack
 *   (lazily) and the request there, at construction.
 * - `Query.prototype.handle` (first call = execution) starts the clock and
 *   wraps this query's `resolve`/`reject` to record rows (`Result.count`,
 *   the command tag's count, else its length) and errors.
 *
 * The package ships ES modules (`src/`, what `import` gets) and a CommonJS
 * build (`cjs/src/`, what `require` gets): both `query.js` files are hooked.
 */

import type { RowsRead } from '../../capture/types.js';
import { noteFault } from '../faults.js';
import type { FrameSource, StackHolder } from '../frame-source.js';
import { currentScope, queriesWanted, type RequestScope, scopeStore, wholeStacksWanted } from '../request-context.js';
import { POSTGRES_ESM_FILE } from './driver-files.js';
import { onEsmFile } from './esm-hook.js';
import { type ExplainPlan, rememberPlan } from './explain-registry.js';
import { onCommonJsFile, packageFile } from './module-hook.js';
import { type AnyMethod, errorMessage, patchMethod } from './patch.js';
import { issuedAt, issuerPending } from './pool-stack.js';
import { addRead, rowsRead } from './rows-read.js';
import { captureStackLazily, closeOwnCapture, openOwnCapture, withLazyStack } from './stack.js';
import type { QueryRecorder } from './types.js';

let recorder: QueryRecorder | undefined;
let installed = false;

/** Where a query was written: stack and request at construction. */
const ORIGIN = Symbol('culprit.postgres.origin');
/** The `handler` the constructor assigned (the accessor keeps it here). */
const HANDLER = Symbol('culprit.postgres.handler');
/** A query culprit itself runs (EXPLAIN), or the connection runs for itself: never recorded. */
const OWN = Symbol('culprit.postgres.own');
/**
 * The handler of the queries a connection runs for itself (the connect-time
 * `pg_type` lookup of array types, the read-only check of `target_session_attrs`):
 * `connection.js` builds them with its own `execute`; the app's queries get
 * the sql instance's handler. They run in the context of the query that
 * opened the connection, a request's, but belong to the connection.
 */
const CONNECTION_HANDLER = 'execute';

interface Origin {
  stack: FrameSource;
  scope: RequestScope | undefined;
}

interface PgQuery {
  [ORIGIN]?: Origin;
  [HANDLER]?: unknown;
  [OWN]?: boolean;
  executed?: boolean;
  strings?: readonly string[];
  args?: unknown[];
  string?: string;
  parameters?: unknown[];
  resolve?: (value: unknown) => unknown;
  reject?: (error: unknown) => unknown;
}

type QueryClass = (new (...args: unknown[]) => PgQuery) & { prototype: object };

export function install(record: QueryRecorder): void {
  recorder = record;
  if (installed) return;
  installed = true;
  onCommonJsFile(packageFile('postgres', 'cjs/src/query.js'), (exports) => patchQueryClass(exports));
  onEsmFile('postgres', packageFile('postgres', POSTGRES_ESM_FILE), (namespace) => patchQueryClass(namespace));
}

function patchQueryClass(exports: unknown): void {
  const Query = (exports as { Query?: unknown } | undefined)?.Query;
  if (typeof Query !== 'function') return;
  const proto = (Query as QueryClass).prototype;
  if (Object.hasOwn(proto, 'handler')) return; // another copy of the probe got here first
  Object.defineProperty(proto, 'handler', {
    configurable: true,
    get(this: PgQuery) {
      return this[HANDLER];
    },
    set: function setHandler(this: PgQuery, handler: unknown) {
      this[HANDLER] = handler;
      if (typeof handler === 'function' && handler.name === CONNECTION_HANDLER) {
        this[OWN] = true;
        return;
      }
      if (queriesWanted()) {
        // no closure around the capture: each function between the hook and V8's capture is a frame walked
        try {
          // one read of the request's store for the scope and ownCaptureWanted()'s counted-only test (Node 20:
          // each read is an async-hooks lookup of the current resource)
          const store = wholeStacksWanted() ? undefined : scopeStore();
          if (store !== undefined && store.tally === undefined && !issuerPending()) {
            // the stack taken in this body (issuedAt's own capture, without its frames above this one)
            const holder: StackHolder = {};
            const limit = openOwnCapture(setHandler);
            let stack: FrameSource;
            try {
              Error.captureStackTrace(holder, setHandler);
            } finally {
              stack = closeOwnCapture(holder, setHandler, limit);
            }
            this[ORIGIN] = { stack, scope: store.closed ? undefined : store };
          } else {
            // an ORM building this query in its own then() hands over the app's frames (drizzle.ts)
            const issued = issuedAt(setHandler);
            this[ORIGIN] = { stack: issued.frames, scope: issued.scope };
          }
        } catch (error) {
          noteFault('postgres origin', error);
        }
      }
    },
  });
  patchMethod(proto, 'handle', (original) => wrapHandle(original, Query as QueryClass));
}

function wrapHandle(original: AnyMethod, Query: QueryClass): AnyMethod {
  // no rest parameter: postgres.js calls handle() without arguments (no array per query), any it gets pass on
  return function handle(this: unknown) {
    const query = this as PgQuery;
    if (queriesWanted() && !query.executed && !query[OWN]) {
      try {
        // the stack taken here, not in begin() or a closure: each function in between is a frame walked
        const origin = query[ORIGIN];
        begin(query, origin?.stack ?? captureStackLazily(handle), origin?.scope ?? currentScope(), Query);
      } catch (error) {
        noteFault('postgres execute', error);
      }
    }
    // biome-ignore lint/complexity/noArguments: passes on whatever postgres.js gives, without a rest array
    return arguments.length === 0 ? original.call(this) : original.apply(this, arguments as unknown as unknown[]);
  };
}

function begin(query: PgQuery, stack: FrameSource, scope: RequestScope | undefined, Query: QueryClass): void {
  const resolve = query.resolve;
  const reject = query.reject;
  if (typeof resolve !== 'function' || typeof reject !== 'function') return;
  // one state object and two closures per query (no closure per settle): Node 20 runs this in baseline code
  const run: Running = { query, stack, scope, Query, startedAt: performance.now() };
  query.resolve = (value: unknown) => {
    settle(run, undefined, value);
    return resolve(value);
  };
  query.reject = (error: unknown) => {
    settle(run, error ?? new Error('query failed'), undefined);
    return reject(error);
  };
}

interface Running {
  query: PgQuery;
  stack: FrameSource;
  scope: RequestScope | undefined;
  Query: QueryClass;
  startedAt: number;
}

function settle(run: Running, error: unknown, result: unknown): void {
  try {
    const query = run.query;
    const sql = statementText(query);
    recorder?.(
      withLazyStack(
        {
          driver: 'postgres',
          sql,
          params: Array.isArray(query.parameters) ? query.parameters.slice() : paramsOf(query),
          startedAt: run.startedAt,
          durationMs: performance.now() - run.startedAt,
          rows: error ? null : postgresRows(result),
          read: error ? undefined : postgresRead(result),
          error: error ? errorMessage(error) : undefined,
          scope: run.scope,
        },
        run.stack,
      ),
    );
    if (run.scope && !error) rememberPlan(sql, plannerOf(run.Query, query), query.parameters);
  } catch (error) {
    noteFault('postgres record', error);
  }
}

/** Where the plan function of an `sql` instance is kept, on its handler: one per instance, not a closure per query. */
const PLANNER = Symbol('culprit.postgres.planner');
type WithPlanner = { [PLANNER]?: ExplainPlan };

function plannerOf(Query: QueryClass, query: PgQuery): ExplainPlan {
  const handler = query[HANDLER];
  if (typeof handler !== 'function') return (sql, params) => postgresPlan(Query, handler, sql, params);
  const holder = handler as WithPlanner;
  holder[PLANNER] ??= (sql, params) => postgresPlan(Query, handler, sql, params);
  return holder[PLANNER];
}

/** The text sent (set when the connection built it), else the template with `$n` placeholders. */
function statementText(query: PgQuery): string {
  if (typeof query.string === 'string') return query.string;
  const strings = query.strings ?? [];
  return strings.reduce((text, part, index) => (index === 0 ? part : `${text}$${index}${part}`), '');
}

function paramsOf(query: PgQuery): unknown[] | undefined {
  return Array.isArray(query.args) && query.args.length > 0 ? [...query.args] : undefined;
}

/**
 * EXPLAIN through the same `sql` instance (its handler, so its pool), as an
 * unprepared query of culprit's own, with the parameters as sent.
 */
function postgresPlan(
  Query: QueryClass,
  handler: unknown,
  sql: string,
  parameters: readonly unknown[] | undefined,
): Promise<string[]> {
  const values = parameters ? [...parameters] : [];
  const explain = new Query([`EXPLAIN ${sql}`], values, handler, undefined, {
    prepare: false,
    simple: values.length === 0,
  });
  explain[OWN] = true;
  return Promise.resolve(explain).then((rows) =>
    (Array.isArray(rows) ? (rows as Array<Record<string, unknown>>) : []).map((row) =>
      String(row['QUERY PLAN'] ?? Object.values(row)[0] ?? ''),
    ),
  );
}

/**
 * Rows of a postgres.js result: a `Result` (an Array with `count`, the
 * command tag's figure, and `command`), or for several statements an array
 * of them. `count` is null for commands without a figure; then the length.
 */
export function postgresRows(result: unknown): number | null {
  if (!Array.isArray(result)) return null;
  if (!isResult(result) && result.length > 0 && result.every(isResult)) {
    let total: number | null = null;
    for (const part of result) {
      const rows = postgresRows(part);
      if (rows !== null) total = (total ?? 0) + rows;
    }
    return total;
  }
  const count = (result as { count?: unknown }).count;
  return typeof count === 'number' ? count : result.length;
}

/** The rows' weight from the first row of each result (`.values()` rows are named by `columns`). */
export function postgresRead(result: unknown): RowsRead | undefined {
  if (!Array.isArray(result) || result.length === 0) return undefined;
  if (!isResult(result) && result.every(isResult)) {
    let total: RowsRead | undefined;
    for (const part of result) total = addRead(total, postgresRead(part));
    return total;
  }
  const columns = (result as { columns?: unknown }).columns;
  const nameAt = (index: number): string | undefined => {
    const name = Array.isArray(columns) ? (columns[index] as { name?: unknown } | undefined)?.name : undefined;
    return typeof name === 'string' ? name : undefined;
  };
  return rowsRead(result[0], result.length, nameAt);
}

function isResult(value: unknown): boolean {
  return Array.isArray(value) && 'command' in value && 'count' in value;
}
