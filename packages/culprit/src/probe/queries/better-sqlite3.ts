/**
 * better-sqlite3 has no hooks: its Statement class is native and reached
 * through the first `db.prepare()`, whose result's prototype gets
 * `all/get/run/iterate` wrapped once; `Database.prototype.exec` is wrapped too.
 */
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
};

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
}

function patchStatementsOnFirstPrepare(original: AnyMethod): AnyMethod {
  let patched = false;
  return function prepare(this: unknown, ...args: unknown[]) {
    const statement = original.apply(this, args);
    if (!patched) {
      guarded('better-sqlite3 statement', undefined, () => {
        const proto = Object.getPrototypeOf(statement) as object | null;
        if (proto) patchStatementPrototype(proto, target);
        patched = true;
      });
    }
    return statement;
  };
}
