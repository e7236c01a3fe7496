/**
 * Objection: `Model.query()` makes a QueryBuilder in the app's code, and the
 * statement runs later, from the builder's `then()` → `execute()`, which only
 * then makes its Knex builder. An app that returns the builder unawaited from
 * an async function (`getAll = async () => Person.query()`, a service method)
 * has it run from the promise job that adopts the thenable: no application
 * frame is on that stack nor on V8's async one, and the statement was named
 * nowhere ("unknown location"). So the builder keeps where it was made
 * (`forClass`, which `query()`, `relatedQuery()` and `$query()` call
 * synchronously in the caller's code), and `execute()` lends those frames and
 * the request to every statement it issues, eager-loaded relations included
 * (pool-stack.ts `withEntryIssuer`, as a builder's: the driver's own stack
 * names the line when it reaches the app). Builders Objection makes inside an
 * execution (eager loading, `insertAndFetch`'s fetch) keep nothing: the
 * outer execution's frames name the app's line. Statements are recorded by
 * the driver hooks.
 */
import { queriesWanted } from '../request-context.js';
import { onCommonJsFile, packageFile } from './module-hook.js';
import { type AnyMethod, patchMethod } from './patch.js';
import { type Issued, rememberBuilderOrigin, withEntryIssuer } from './pool-stack.js';

const ORIGIN = Symbol.for('culprit.objection.origin');
let installed = false;
const rememberOrigin = rememberBuilderOrigin('objection origin', ORIGIN);

interface Builder {
  [ORIGIN]?: Issued;
}

export function install(): void {
  if (installed) return;
  installed = true;
  // Objection 1-3: the static factory every builder comes from, inherited by QueryBuilder and its subclasses
  onCommonJsFile(packageFile('objection', 'lib/queryBuilder/QueryBuilderOperationSupport.js'), (exports) => {
    const base = (exports as { QueryBuilderOperationSupport?: object } | undefined)?.QueryBuilderOperationSupport;
    if (base) patchMethod(base, 'forClass', rememberOrigin);
  });
  onCommonJsFile(packageFile('objection', 'lib/queryBuilder/QueryBuilder.js'), (exports) => {
    const proto = (exports as { QueryBuilder?: { prototype?: object } } | undefined)?.QueryBuilder?.prototype;
    if (proto) patchMethod(proto, 'execute', executeWithOrigin);
  });
}

function executeWithOrigin(original: AnyMethod): AnyMethod {
  return function execute(this: unknown, ...args: unknown[]) {
    const origin = queriesWanted() ? (this as Builder | null)?.[ORIGIN] : undefined;
    if (!origin) return original.apply(this, args);
    return withEntryIssuer(origin, () => original.apply(this, args));
  };
}
