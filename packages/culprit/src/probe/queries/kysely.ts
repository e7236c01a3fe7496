/**
 * Kysely: a builder's `execute()` hands its compiled query to the executor's
 * `executeQuery` synchronously, with the app's line right below; the
 * connection is acquired and the driver called only after awaits. An app that
 * returns that promise unawaited (`return db.selectFrom(…)….execute()` in a
 * repository) is lost to V8's async stack trace, which names the route that
 * awaited the repository instead. So the executor's entry takes the stack and
 * request there (lazily) and runs the query with them as the line that built
 * it (pool-stack.ts `withIssuer`, `built`), as Knex's builders do; a query
 * awaited where it is written names the same line either way. Kysely ships ES
 * modules and CommonJS: both copies of the executor are hooked. Statements are
 * recorded by the driver hooks.
 */
import { currentScope, queriesWanted } from '../request-context.js';
import { KYSELY_EXECUTOR_FILES } from './driver-files.js';
import { onEsmFile } from './esm-hook.js';
import { onCommonJsFile, packageFile } from './module-hook.js';
import { type AnyMethod, guarded, patchMethod } from './patch.js';
import { withIssuer } from './pool-stack.js';
import { captureStackLazily } from './stack.js';

let installed = false;

export function install(): void {
  if (installed) return;
  installed = true;
  const [esm, commonJs] = KYSELY_EXECUTOR_FILES;
  onEsmFile('kysely', packageFile('kysely', esm), patchExecutor);
  onCommonJsFile(packageFile('kysely', commonJs), patchExecutor);
}

function patchExecutor(exports: unknown): void {
  const base = (exports as { QueryExecutorBase?: { prototype?: object } } | null)?.QueryExecutorBase;
  if (base?.prototype) patchMethod(base.prototype, 'executeQuery', runAsBuilt);
}

function runAsBuilt(original: AnyMethod): AnyMethod {
  return function executeQuery(this: unknown, ...args: unknown[]) {
    const issued = queriesWanted()
      ? guarded('kysely issuer', undefined, () => ({
          frames: captureStackLazily(executeQuery),
          scope: currentScope(),
          built: true,
        }))
      : undefined;
    if (!issued) return original.apply(this, args);
    return withIssuer(issued, () => original.apply(this, args));
  };
}
