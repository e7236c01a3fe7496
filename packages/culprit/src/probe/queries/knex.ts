/**
 * Knex builds a query in the app's code and runs it later, from `then()`.
 * With native promises V8's async stack traces still lead back to the app;
 * Knex 0.19/0.20 run on bluebird, whose scheduler drops both the app's frames
 * (every query site was `(unknown)`) and, between requests, the async context.
 * So the builder keeps where it was made:
 * - `Client.prototype.queryBuilder/schemaBuilder/raw` (what `knex('t')`,
 *   `knex.schema`, `knex.raw`, a transaction's `trx('t')` and ORMs on Knex
 *   call, synchronously in the caller's code) take the stack and request
 *   (lazily: nothing is read for builders that never run);
 * - `Runner.prototype.query` runs the driver call with them attached, and the
 *   driver hook appends them after its own frames (pool-stack.ts `issuedHere`),
 *   so the first application frame is the one that built the query.
 * No statement is recorded here: the driver hooks record (pg, mysql, mysql2,
 * sqlite3, better-sqlite3).
 */
import { queriesWanted } from '../request-context.js';
import { onCommonJsFile, packageFile } from './module-hook.js';
import { type AnyMethod, patchMethod } from './patch.js';
import { type Issued, rememberBuilderOrigin, withIssuer } from './pool-stack.js';

const ORIGIN = Symbol.for('culprit.knex.origin');
/** Knex 1-3 dialects whose client defines `queryBuilder` itself. */
const DIALECTS_WITH_OWN_BUILDER = ['postgres', 'mysql', 'sqlite3', 'mssql', 'cockroachdb'];
let installed = false;
const rememberOrigin = rememberBuilderOrigin('knex origin', ORIGIN);

interface Builder {
  [ORIGIN]?: Issued;
}

export function install(): void {
  if (installed) return;
  installed = true;
  onCommonJsFile(packageFile('knex', 'lib/client.js'), (exports) => {
    const proto = (exports as { prototype?: object } | undefined)?.prototype;
    if (!proto) return;
    for (const name of ['queryBuilder', 'schemaBuilder', 'raw']) patchMethod(proto, name, rememberOrigin);
  });
  // dialects that build their own QueryBuilder subclass override `queryBuilder` (Knex 3: every SELECT on pg,
  // MySQL or SQLite went past the hook above); those extending them (mysql2, better-sqlite3, redshift) inherit it
  for (const dialect of DIALECTS_WITH_OWN_BUILDER) {
    onCommonJsFile(packageFile('knex', `lib/dialects/${dialect}/index.js`), (exports) => {
      const proto = (exports as { prototype?: object } | undefined)?.prototype;
      if (proto && Object.hasOwn(proto, 'queryBuilder')) patchMethod(proto, 'queryBuilder', rememberOrigin);
    });
  }
  // lib/runner.js up to 0.95, lib/execution/runner.js since
  for (const file of ['lib/runner.js', 'lib/execution/runner.js']) {
    onCommonJsFile(packageFile('knex', file), (exports) => {
      const proto = (exports as { prototype?: object } | undefined)?.prototype;
      if (proto) patchMethod(proto, 'query', runWithOrigin);
    });
  }
}

function runWithOrigin(original: AnyMethod): AnyMethod {
  return function query(this: unknown, ...args: unknown[]) {
    const origin = queriesWanted() ? (this as { builder?: Builder } | null)?.builder?.[ORIGIN] : undefined;
    if (!origin) return original.apply(this, args);
    return withIssuer(origin, () => original.apply(this, args));
  };
}
