/**
 * `node:sqlite` (Node 22.5+) is a built-in: the probe's `StatementSync` and
 * `DatabaseSync` are the app's, so their prototypes are patched directly, no
 * load hook needed. Loading it only when the runtime has it (Node 22.5–22.12
 * needs --experimental-sqlite) and without the one-off ExperimentalWarning
 * going to the app's stderr on our account.
 */
import { createRequire } from 'node:module';
import { noteFault } from '../faults.js';
import { patchExec, patchStatementPrototype, type SqliteHookTarget } from './sqlite-statements.js';
import type { QueryRecorder } from './types.js';

let recorder: QueryRecorder | undefined;
let installed = false;

const target: SqliteHookTarget = {
  driver: 'node:sqlite',
  sqlOf: (statement) => String((statement as { sourceSQL?: unknown } | null)?.sourceSQL ?? ''),
  recorder: () => recorder,
};

export function install(record: QueryRecorder): void {
  recorder = record;
  if (installed) return;
  installed = true;
  const sqlite = loadBuiltin();
  if (!sqlite) return;
  const statementProto = (sqlite.StatementSync as { prototype?: object } | undefined)?.prototype;
  const databaseProto = (sqlite.DatabaseSync as { prototype?: object } | undefined)?.prototype;
  if (statementProto) patchStatementPrototype(statementProto, target);
  if (databaseProto) patchExec(databaseProto, target);
}

function loadBuiltin(): Record<string, unknown> | undefined {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 5)) return undefined;
  const emitWarning = process.emitWarning;
  try {
    process.emitWarning = () => {};
    return createRequire(import.meta.url)('node:sqlite') as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_UNKNOWN_BUILTIN_MODULE') noteFault('node:sqlite', error);
    return undefined;
  } finally {
    process.emitWarning = emitWarning;
  }
}
