/**
 * better-sqlite3 has no hooks: its Statement class is native and reached
 * through the first `db.prepare()`, whose result's prototype gets
 * `all/get/run/iterate` wrapped once (or through the addon's `Statement` when
 * it is loaded already); `Database.prototype.exec` is wrapped too. `bind()`
 * keeps the parameters bound ahead of the call (Prisma's adapter binds, then
 * calls `all()` without arguments): without them every per-item query of an
 * N+1 looked like the same query repeated.
 */
import { queriesWanted } from '../request-context.js';
import { onCommonJsFile, packageFile } from './module-hook.js';
import { type AnyMethod, guarded, patchMethod } from './patch.js';
import { patchExec, patchStatementPrototype, type SqliteHookTarget } from './sqlite-statements.js';
import type { QueryRecorder } from './types.js';

let recorder: QueryRecorder | undefined;
let installed = false;

const target: SqliteHookTarget = {
  driver: 'better-sqlite3',
  sqlOf: (statement) => String((statement as { source?: unknown } | null)?.source ?? ''),
  recorder: () => recorder,
  boundOf: (statement) => (typeof statement === 'object' && statement !== null ? bound.get(statement) : undefined),
};
const bound = new WeakMap<object, unknown[]>();

export function install(record: QueryRecorder): void {
  recorder = record;
  if (installed) return;
  installed = true;
  onCommonJsFile(packageFile('better-sqlite3', 'lib/database.js'), (exports) => {
    const proto = (exports as { prototype?: object } | undefined)?.prototype;
    if (!proto) return;
    patchExec(proto, target);
    patchMethod(proto, 'prepare', patchStatementsOnFirstPrepare);
  });
  // installed after the app prepared (and cached) its statements (measure() in a test process):
  // no prepare() may come, so the loaded addon's Statement class is patched directly
  onCommonJsFile(packageFile('better-sqlite3', 'build/Release/better_sqlite3.node'), (exports) => {
    const proto = (exports as { Statement?: { prototype?: object } } | undefined)?.Statement?.prototype;
    if (proto) patchStatement(proto);
  });
}

function patchStatementsOnFirstPrepare(original: AnyMethod): AnyMethod {
  let patched = false;
  return function prepare(this: unknown, ...args: unknown[]) {
    const statement = original.apply(this, args);
    if (!patched) {
      guarded('better-sqlite3 statement', undefined, () => {
        const proto = Object.getPrototypeOf(statement) as object | null;
        if (proto) patchStatement(proto);
        patched = true;
      });
    }
    return statement;
  };
}

function patchStatement(proto: object): void {
  patchStatementPrototype(proto, target);
  patchMethod(
    proto,
    'bind',
    (original) =>
      function bind(this: unknown, ...args: unknown[]) {
        const statement = original.apply(this, args);
        if (queriesWanted() && typeof this === 'object' && this !== null) bound.set(this, args);
        return statement;
      },
  );
}
