/**
 * Drizzle's queries are thenables: `await db.select().from(t)` runs the query
 * from `then()`, a microtask whose stack holds none of the app's frames (so
 * every Drizzle query site was `(unknown)`), though its async context is the
 * app's. The database classes' entry points (`select`, `insert`, `update`,
 * `delete`, `execute`, `$count`, `with`, `transaction`, relational
 * `findMany/findFirst`…), called synchronously in the app's code, take the
 * stack and request (lazily) and make them the issuer of the next query run
 * from that async context (pool-stack.ts `enterIssuer`); the driver hook puts
 * them after its own frames. Drizzle ships ES modules and CommonJS: both
 * copies of each file are hooked. The classes are found by the names the
 * dialect's public entry exports them under (driver-files.ts), not by the
 * file that defines them: Drizzle 0.26 defines them in hashed chunk files
 * (`session-<hash>.mjs`) under minified export names. Statements are
 * recorded by the driver hooks.
 *
 * A relational query (`db.query.articles.findMany(…)`) is itself the
 * thenable the app awaits, so it keeps its issuer and runs with it
 * (`execute`): a list and its count built before either runs
 * (`Promise.all([findMany(…), count()])`) would otherwise share the context's
 * one issuer, the later builder's, and the list be named at the count's line.
 */
import { currentScope, queriesWanted } from '../request-context.js';
import { DRIZZLE_ENTRY_FILES, DRIZZLE_ESM_FILES } from './driver-files.js';
import { onEsmFile } from './esm-hook.js';
import { onCommonJsFile, packageFile } from './module-hook.js';
import { type AnyMethod, guarded, patchMethod } from './patch.js';
import { enterIssuer, type Issued, withIssuer } from './pool-stack.js';
import { captureStackLazily } from './stack.js';

let installed = false;

const ENTRY_CLASS = /Database$|^RelationalQueryBuilder$/;
/** The relational query classes (PgRelationalQuery, SQLiteRelationalQuery…): the awaited query itself. */
const RELATIONAL_QUERY = /RelationalQuery$/;
const ORIGIN = Symbol.for('culprit.drizzle.origin');

interface Originated {
  [ORIGIN]?: Issued;
}

export function install(): void {
  if (installed) return;
  installed = true;
  for (const file of DRIZZLE_ESM_FILES) onEsmFile('drizzle-orm', packageFile('drizzle-orm', file), patchEntryClasses);
  for (const file of DRIZZLE_ENTRY_FILES) onCommonJsFile(packageFile('drizzle-orm', `${file}.cjs`), patchEntryClasses);
}

function patchEntryClasses(exports: unknown): void {
  if (typeof exports !== 'object' || exports === null) return;
  for (const [name, value] of Object.entries(exports)) {
    if (typeof value !== 'function') continue;
    const proto = (value as { prototype?: object }).prototype;
    if (!proto) continue;
    if (RELATIONAL_QUERY.test(name) && Object.hasOwn(proto, 'execute')) patchMethod(proto, 'execute', runWithOrigin);
    if (!ENTRY_CLASS.test(name)) continue;
    for (const method of Object.getOwnPropertyNames(proto)) {
      if (method === 'constructor') continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, method);
      if (typeof descriptor?.value === 'function') patchMethod(proto, method, rememberIssuer);
    }
  }
}

function rememberIssuer(original: AnyMethod): AnyMethod {
  return function entry(this: unknown, ...args: unknown[]) {
    const query = original.apply(this, args);
    if (queriesWanted()) {
      guarded('drizzle issuer', undefined, () => {
        const issued = { frames: captureStackLazily(entry), scope: currentScope() };
        if (isRelationalQuery(query)) (query as Originated)[ORIGIN] = issued;
        else enterIssuer(issued);
      });
    }
    return query;
  };
}

function isRelationalQuery(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && RELATIONAL_QUERY.test(name);
}

function runWithOrigin(original: AnyMethod): AnyMethod {
  return function execute(this: unknown, ...args: unknown[]) {
    const origin = queriesWanted() ? (this as Originated | null)?.[ORIGIN] : undefined;
    if (!origin) return original.apply(this, args);
    return withIssuer(origin, () => original.apply(this, args));
  };
}
