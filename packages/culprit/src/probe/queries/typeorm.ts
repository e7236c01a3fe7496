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
 * puts after its own frames. Current TypeORM (native async, 0.3 on) is left
 * alone. Statements are recorded by the driver hooks.
 */
import { readFileSync } from 'node:fs';
import { noteFault } from '../faults.js';
import { countedOnly, currentScope, queriesWanted } from '../request-context.js';
import { onCommonJsFile, packageFile } from './module-hook.js';
import { type AnyMethod, patchMethod } from './patch.js';
import { type Issued, runsAsCallerCallback, withEntryIssuer } from './pool-stack.js';
import { captureStackLazily } from './stack.js';

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
      if (!compiledAwaiter(filename)) return;
      const cls = (exports as Record<string, unknown> | undefined)?.[className];
      const proto = typeof cls === 'function' ? (cls as { prototype?: object }).prototype : undefined;
      if (proto) patchEntries(proto, methods);
      // BaseEntity's entry points are static (`User.find()`)
      if (className === 'BaseEntity' && typeof cls === 'function') patchEntries(cls, methods);
    });
  }
}

const awaiterByPackage = new Map<string, boolean>();

/**
 * Only TypeORM before 0.3 runs on `__awaiter`: from 0.3 on its methods are native async, the driver's
 * stack already leads to the app, and lending the entry's frames moved a finding from the service that
 * made the query to the controller above it (shop-nest-typeorm in bench/diagnosis).
 */
function compiledAwaiter(filename: string): boolean {
  const root = filename.slice(0, filename.lastIndexOf('/node_modules/typeorm/') + '/node_modules/typeorm/'.length);
  let old = awaiterByPackage.get(root);
  if (old === undefined) {
    try {
      const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version?: unknown };
      const [major, minor] = String(version).split('.').map(Number);
      old = major === 0 && (minor ?? 0) < 3;
    } catch {
      old = true; // unknown: lend, as for 0.2 (harmless where stacks already hold the app)
    }
    awaiterByPackage.set(root, old);
  }
  return old;
}

function patchEntries(holder: object, methods: RegExp): void {
  for (const name of Object.getOwnPropertyNames(holder)) {
    if (name === 'constructor' || !methods.test(name)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(holder, name);
    if (typeof descriptor?.value === 'function') {
      patchMethod(holder, name, (original) => lendIssuer(original, name === 'transaction'));
    }
  }
}

/** `callsBack`: the method calls back app code passed to it (`transaction(cb)`); other entries take classes. */
function lendIssuer(original: AnyMethod, callsBack: boolean): AnyMethod {
  return function entry(this: unknown, ...args: unknown[]) {
    // a counted request's queries need no issuer: they are counted in the request's own scope
    if (!queriesWanted() || countedOnly()) return original.apply(this, args);
    // no closure around the capture: each function between the entry and V8's capture is a frame walked
    let issued: Issued | undefined;
    try {
      issued = { frames: captureStackLazily(entry), scope: currentScope() };
    } catch (error) {
      noteFault('typeorm issuer', error);
    }
    if (!issued) return original.apply(this, args);
    const passed = callsBack ? callbacksMarked(args) : args;
    return withEntryIssuer(issued, () => original.apply(this, passed));
  };
}

/** `args` with each function (a transaction's callback: app code the entry calls back) marked as the caller's (pool-stack.ts). */
function callbacksMarked(args: unknown[]): unknown[] {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (typeof arg === 'function') args[i] = runsAsCallerCallback(arg as AnyMethod);
  }
  return args;
}
