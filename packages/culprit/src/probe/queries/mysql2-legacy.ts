/**
 * mysql2 before 3.20 publishes no TracingChannel (Sequelize 6 apps pin 2.x),
 * so its statements are caught by patching, as mysqljs's are (mysql.ts):
 * `Connection.prototype.query/execute` (2.x and early 3.x: lib/connection.js;
 * later 3.x: lib/base/connection.js) take the stack and request at issue time
 * and record when the statement ends, through whichever end it has:
 * - the callback (callback mode, and the promise API, which wraps it): it is
 *   the last function argument, or the `onResult` of a Query a pool built;
 * - otherwise (event-emitter mode) the command's own `result`, `error` and
 *   `end` events, seen by wrapping its `emit` (a listener of ours would turn
 *   an unhandled `error` into a handled one).
 * mysql2 >= 3.20 goes through the channel path (mysql2.ts) alone: which path a
 * copy takes is decided once per copy from its package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RowsRead } from '../../capture/types.js';
import type { FrameSource } from '../frame-source.js';
import { queriesWanted, type RequestScope } from '../request-context.js';
import { explainWithNotes, rememberPlan } from './explain-registry.js';
import { ranInBundle } from './module-hook.js';
import { type AnyMethod, errorMessage, guarded, patchMethod } from './patch.js';
import { issuedAt } from './pool-stack.js';
import { withLazyStack } from './stack.js';
import type { QueryRecorder } from './types.js';

interface Pending {
  sql: string;
  params: unknown[] | undefined;
  startedAt: number;
  stack: FrameSource;
  scope: RequestScope | undefined;
  /** Counted from `result` events in event-emitter mode. */
  streamedRows: number;
  done: boolean;
}

interface Command {
  sql?: unknown;
  values?: unknown;
  onResult?: unknown;
  emit?: unknown;
}

type Rows = (result: unknown) => number | null;
type Read = (result: unknown) => RowsRead | undefined;

const channelsByRoot = new Map<string, boolean>();

/**
 * Whether the mysql2 copy holding `filename` (its lib/connection.js or
 * lib/base/connection.js) publishes the `mysql2:query` TracingChannel: 3.20 and
 * later do. Read once per copy; a copy whose version cannot be read is judged
 * by its lib/tracing.js, the file those versions carry the channels in.
 */
export function hasTracingChannels(filename: string): boolean {
  const root = filename.replace(/[\\/]lib[\\/](?:base[\\/])?connection\.js$/, '');
  let known = channelsByRoot.get(root);
  if (known === undefined) {
    known = guarded(
      'mysql2 version',
      true,
      () =>
        channelsFromVersion(root) ??
        (existsSync(join(root, 'lib', 'tracing.js')) || ranInBundle(join(root, 'lib', 'tracing.js'))),
    );
    channelsByRoot.set(root, known);
  }
  return known;
}

function channelsFromVersion(root: string): boolean | undefined {
  let version: unknown;
  try {
    version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown }).version;
  } catch {
    return undefined;
  }
  const match = typeof version === 'string' ? /^(\d+)\.(\d+)\./.exec(version) : null;
  if (!match) return undefined;
  const major = Number(match[1]);
  return major > 3 || (major === 3 && Number(match[2]) >= 20);
}

/** Patches the connection class's own `query`/`execute` (an inherited one is patched where it is defined). */
export function patchLegacyConnection(
  proto: object,
  record: () => QueryRecorder | undefined,
  rows: Rows,
  read: Read,
): void {
  for (const name of ['query', 'execute'] as const) {
    if (Object.hasOwn(proto, name)) patchMethod(proto, name, (original) => wrapStatement(original, record, rows, read));
  }
}

function wrapStatement(
  original: AnyMethod,
  record: () => QueryRecorder | undefined,
  rows: Rows,
  read: Read,
): AnyMethod {
  return function statement(this: unknown, ...args: unknown[]) {
    if (!queriesWanted()) return original.apply(this, args);
    const state = guarded('mysql2 issue', undefined, () => issue(statement, args));
    if (!state) return original.apply(this, args);
    const finish = (error: unknown, result: unknown, streamed: boolean) =>
      guarded('mysql2 record', undefined, () => settle(state, error, result, streamed, record(), rows, read));
    let callback = -1;
    for (let i = args.length - 1; i >= 0; i -= 1) {
      if (typeof args[i] === 'function') {
        callback = i;
        break;
      }
    }
    const passed = callback >= 0 ? [...args] : args;
    if (callback >= 0) passed[callback] = endingIn(args[callback] as AnyMethod, finish);
    let command: unknown;
    try {
      command = original.apply(this, passed);
    } catch (error) {
      finish(error, undefined, false);
      throw error;
    }
    guarded('mysql2 issue', undefined, () => {
      const cmd = command as Command | null;
      if (typeof cmd !== 'object' || cmd === null) return;
      if (typeof cmd.sql === 'string') state.sql = cmd.sql; // query(): formatted client-side, as sent
      if (Array.isArray(cmd.values)) state.params = [...cmd.values];
      if (callback < 0) {
        if (typeof cmd.onResult === 'function') cmd.onResult = endingIn(cmd.onResult as AnyMethod, finish);
        else if (typeof cmd.emit === 'function') watchEvents(cmd, state, finish);
      }
      if (state.scope) {
        const { sql, params } = state;
        rememberPlan(sql, () => explain(original, this, sql, params));
      }
    });
    return command;
  };
}

function issue(statement: AnyMethod, args: unknown[]): Pending {
  const issued = issuedAt(statement);
  const first = args[0] as { sql?: unknown } | string | undefined;
  const sql = typeof first === 'string' ? first : typeof first?.sql === 'string' ? first.sql : '';
  return {
    sql,
    params: Array.isArray(args[1]) ? [...args[1]] : undefined,
    startedAt: performance.now(),
    stack: issued.frames,
    scope: issued.scope,
    streamedRows: 0,
    done: false,
  };
}

/** The app's callback, preceded by the record of its outcome. */
function endingIn(
  callback: AnyMethod,
  finish: (error: unknown, result: unknown, streamed: boolean) => void,
): AnyMethod {
  return function (this: unknown, ...args: unknown[]) {
    finish(args[0], args[1], false);
    return callback.apply(this, args);
  };
}

function watchEvents(
  cmd: Command,
  state: Pending,
  finish: (error: unknown, result: unknown, streamed: boolean) => void,
): void {
  const emit = cmd.emit as AnyMethod;
  cmd.emit = function (this: unknown, ...args: unknown[]) {
    const event = args[0];
    if (event === 'result') {
      const row = args[1];
      state.streamedRows += isHeader(row) ? ((row as { affectedRows: number }).affectedRows ?? 0) : 1;
    } else if (event === 'error') finish(args[1] ?? new Error('mysql2 error'), undefined, true);
    else if (event === 'end') finish(undefined, undefined, true);
    return emit.apply(this, args);
  };
}

function settle(
  state: Pending,
  error: unknown,
  result: unknown,
  streamed: boolean,
  recorder: QueryRecorder | undefined,
  rows: Rows,
  read: Read,
): void {
  if (state.done) return;
  state.done = true;
  const failed = error !== undefined && error !== null;
  recorder?.(
    withLazyStack(
      {
        driver: 'mysql2',
        sql: state.sql,
        params: state.params,
        startedAt: state.startedAt,
        durationMs: performance.now() - state.startedAt,
        rows: failed ? null : streamed ? state.streamedRows : rows(result),
        read: failed || streamed ? undefined : read(result),
        error: failed ? errorMessage(error) : undefined,
        scope: state.scope,
      },
      state.stack,
    ),
  );
}

function isHeader(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { affectedRows?: unknown }).affectedRows === 'number'
  );
}

/** EXPLAIN through the same connection and the same (unpatched) method: prepared for execute(), text for query(). */
function explain(
  original: AnyMethod,
  connection: unknown,
  sql: string,
  params: unknown[] | undefined,
): Promise<string[]> {
  return explainWithNotes((text, values, done) => original.call(connection, text, values, done), sql, params ?? []);
}
