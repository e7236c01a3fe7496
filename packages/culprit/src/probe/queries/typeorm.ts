/**
 * TypeORM 0.2 ships JavaScript compiled for old targets: its async methods
 * are tslib `__awaiter` generators, which resume from promise jobs without
 * the app's frames, and V8's async stack traces do not cross them. Its
 * queries reached the driver with TypeORM's frames only: no app line (a Nest 7
 * app's every query site). The entry points the app calls (Repository and
 * EntityManager `find*`, `save`, `count`…, the query builders' `getMany`,
 * `getOne`, `getRawMany`, `execute`…) run synchronously in the app's code:
 * they take the stack and request there (lazily) and lend them to every query
 * issued below them (pool-stack.ts `withEntryIssuer`), which the driver hook
 * puts after its own frames. Statements are recorded by the driver hooks.
 *
 * Current TypeORM (native async, 0.3 on) reaches the app through V8's async
 * frames only where the app awaits the call: a lookup whose promise is
 * returned unawaited (a DataLoader batch function's `Promise.all(ids.map(…))`)
 * reached the driver with no app frame at all. Its entries' frames stand in
 * there (the outermost entry only: TypeORM's own nested entries add nothing
 * but frames to walk). Where the async frames reach the app they stay: the
 * entry's synchronous callers (a controller that returned the service's
 * promise) would make the first query of a function look called from
 * elsewhere than the ones after its awaits.
 */
import { lendFromEntries, packageVersion } from './entry-issuer.js';
import { onCommonJsFile, packageFile } from './module-hook.js';

/** Files, the class each exports, and its methods that issue queries (the app calls them). */
const ENTRIES: ReadonlyArray<readonly [file: string, className: string, methods: RegExp]> = [
  [
    'repository/Repository.js',
    'Repository',
    /^(?:find|count|save|insert|update|upsert|delete|remove|softDelete|softRemove|restore|recover|increment|decrement|query|clear|exist|sum|average|minimum|maximum|preload)/,
  ],
  [
    'repository/BaseEntity.js',
    'BaseEntity',
    /^(?:find|count|save|insert|update|upsert|delete|remove|softDelete|softRemove|restore|recover|reload|query|clear|exist|sum|average|minimum|maximum|preload)/,
  ],
  [
    'entity-manager/EntityManager.js',
    'EntityManager',
    /^(?:find|count|save|insert|update|upsert|delete|remove|softDelete|softRemove|restore|recover|increment|decrement|query|clear|exist|sum|average|minimum|maximum|preload|transaction)/,
  ],
  [
    'query-builder/SelectQueryBuilder.js',
    'SelectQueryBuilder',
    /^(?:getMany|getOne|getOneOrFail|getRawMany|getRawOne|getRawAndEntities|getManyAndCount|getCount|getExists|execute|stream)$/,
  ],
  ['query-builder/InsertQueryBuilder.js', 'InsertQueryBuilder', /^execute$/],
  ['query-builder/UpdateQueryBuilder.js', 'UpdateQueryBuilder', /^execute$/],
  ['query-builder/DeleteQueryBuilder.js', 'DeleteQueryBuilder', /^execute$/],
  ['query-builder/SoftDeleteQueryBuilder.js', 'SoftDeleteQueryBuilder', /^execute$/],
  [
    'query-builder/RelationQueryBuilder.js',
    'RelationQueryBuilder',
    /^(?:set|add|remove|addAndRemove|loadOne|loadMany)$/,
  ],
];

let installed = false;

export function install(): void {
  if (installed) return;
  installed = true;
  for (const [file, className, methods] of ENTRIES) {
    onCommonJsFile(packageFile('typeorm', file), (exports, filename) => {
      const nativeAsync = !compiledAwaiter(filename);
      const cls = (exports as Record<string, unknown> | undefined)?.[className];
      const proto = typeof cls === 'function' ? (cls as { prototype?: object }).prototype : undefined;
      if (proto) patchEntries(proto, methods, nativeAsync);
      // BaseEntity's entry points are static (`User.find()`)
      if (className === 'BaseEntity' && typeof cls === 'function') patchEntries(cls, methods, nativeAsync);
    });
  }
}

/**
 * Only TypeORM before 0.3 runs on `__awaiter`; from 0.3 on its methods are native async and the entry's frames
 * stand in (see above). Unknown: as for 0.2 (harmless where stacks already hold the app).
 */
function compiledAwaiter(filename: string): boolean {
  const version = packageVersion(filename, 'typeorm');
  return !version || (version[0] === 0 && version[1] < 3);
}

function patchEntries(holder: object, methods: RegExp, nativeAsync: boolean): void {
  lendFromEntries(holder, methods, {
    label: 'typeorm issuer',
    callsBack: /^transaction$/,
    ...(nativeAsync ? { standsIn: true, outermost: true } : {}),
  });
}
