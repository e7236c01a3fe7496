/**
 * Prisma 7 runs a model call (`prisma.author.findUnique(…)`) long after the
 * app made it: the call returns a lazy thenable whose `then()` runs in a
 * microtask without the app's frames (V8 keeps no async frames for a
 * thenable), and `findUnique` then waits a tick in Prisma's batching loader.
 * Every such query stopped at Prisma's own frames: no app line.
 *
 * The one moment the app's frames are on the stack is the model call itself,
 * which builds the thenable with the client's `_createPrismaPromise(callback)`
 * (an instance field of the class `getPrismaClient(config)` returns). So:
 * - the runtime's `getPrismaClient` export returns the class behind a proxy
 *   whose construction wraps the new client's `_createPrismaPromise`;
 * - the wrapper takes the stack and request (lazily) and runs the callback,
 *   which starts the query, with them attached (pool-stack.ts
 *   `withEntryIssuer`, precise: every statement of the call gets them, ahead
 *   of the later stacks' async frames); the driver hook (pg,
 *   better-sqlite3) appends those frames after its own;
 * - `$transaction(…)` (a method that starts at once) does the same for the
 *   transaction's own statements (BEGIN, COMMIT);
 * - so that no other call's statement inherits them: the batching loader
 *   runs each request in the async context of its own call (its tick runs
 *   every batch of that tick from the context of whichever call opened it),
 *   and a request not started by a wrapped callback (an interactive
 *   transaction's `tx.…` calls, whose factory is out of reach) runs with no
 *   issuer rather than its transaction's.
 * Anything not shaped as expected is left alone (today's behaviour: the
 * statement is recorded, without an app line). Under Node the runtime is
 * always `runtime/client.js` (CommonJS): the package's "node" condition maps
 * `import` and `require` alike to it.
 */
import { AsyncResource } from 'node:async_hooks';
import { currentScope, queriesWanted } from '../request-context.js';
import { onCommonJsFile, packageFile } from './module-hook.js';
import { type AnyMethod, guarded, patchMethod } from './patch.js';
import { type Issued, withEntryIssuer, withoutIssuer } from './pool-stack.js';
import { captureStackLazily } from './stack.js';

const WRAPPED = Symbol.for('culprit.prisma.wrapped');
let installed = false;
/** Set while a wrapped callback starts its request (synchronously): that `_request` is the issuer's own. */
let starting = false;

export function install(): void {
  if (installed) return;
  installed = true;
  onCommonJsFile(packageFile('@prisma/client', 'runtime/client.js'), runtimeExports);
}

/** The runtime's exports are esbuild getters, which cannot be redefined: export a copy with `getPrismaClient` wrapped. */
function runtimeExports(exports: unknown): object | undefined {
  if (typeof exports !== 'object' || exports === null) return undefined;
  const getPrismaClient = (exports as { getPrismaClient?: unknown }).getPrismaClient;
  if (typeof getPrismaClient !== 'function') return undefined;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(exports)) copy[key] = (exports as Record<string, unknown>)[key];
  copy.getPrismaClient = function (this: unknown, ...args: unknown[]) {
    const clientClass = (getPrismaClient as AnyMethod).apply(this, args);
    return guarded('prisma client class', clientClass, () => patchedClass(clientClass));
  };
  Object.defineProperty(copy, '__esModule', { value: true });
  return copy;
}

function patchedClass(clientClass: unknown): unknown {
  if (typeof clientClass !== 'function') return clientClass;
  const proto = (clientClass as { prototype?: object }).prototype;
  if (proto) {
    patchMethod(proto, '_request', ownRequestOnly);
    patchMethod(proto, '$transaction', transactionAtCall);
  }
  return new Proxy(clientClass, {
    construct(target, args, newTarget) {
      const client: unknown = Reflect.construct(target, args, newTarget);
      guarded('prisma client', undefined, () => wrapFactory(client));
      guarded('prisma loader', undefined, () => keepCallContexts(client));
      return client as object;
    },
  });
}

/** Replaces the client's `_createPrismaPromise` (read and written through Prisma's own proxy, which writes to the client). */
function wrapFactory(client: unknown): void {
  if (typeof client !== 'object' || client === null) return;
  const holder = client as { _createPrismaPromise?: unknown };
  const factory = holder._createPrismaPromise;
  if (typeof factory !== 'function' || (factory as unknown as Record<symbol, unknown>)[WRAPPED]) return;
  const wrapped = function createPrismaPromise(this: unknown, ...args: unknown[]) {
    const [callback, ...rest] = args;
    if (!queriesWanted() || typeof callback !== 'function') return (factory as AnyMethod).apply(this, args);
    const issued = issuedAt(createPrismaPromise);
    if (!issued) return (factory as AnyMethod).apply(this, args);
    const start = function (this: unknown, ...callbackArgs: unknown[]) {
      return withEntryIssuer(issued, () => {
        const outer = starting;
        starting = true;
        try {
          return (callback as AnyMethod).apply(this, callbackArgs);
        } finally {
          starting = outer;
        }
      });
    };
    return (factory as AnyMethod).call(this, start, ...rest);
  };
  Object.defineProperty(wrapped, WRAPPED, { value: true });
  holder._createPrismaPromise = wrapped;
}

/** The app's call (what called `below`): its stack (taken lazily) and request. */
function issuedAt(below: (...args: never[]) => unknown): Issued | undefined {
  return guarded<Issued | undefined>('prisma origin', undefined, () => ({
    frames: captureStackLazily(below),
    scope: currentScope(),
    precise: true,
  }));
}

/**
 * `$transaction(…)` starts at once (no thenable): an interactive one sends
 * BEGIN and COMMIT from its own async function, whose async frames lead to
 * the caller's callers when the app returns it without awaiting it.
 */
function transactionAtCall(original: AnyMethod): AnyMethod {
  return function $transaction(this: unknown, ...args: unknown[]) {
    const issued = queriesWanted() ? issuedAt($transaction) : undefined;
    if (!issued) return original.apply(this, args);
    return withEntryIssuer(issued, () => original.apply(this, args));
  };
}

/** `_request` from a wrapped callback keeps its issuer; any other runs without the one it inherited. */
function ownRequestOnly(original: AnyMethod): AnyMethod {
  return function _request(this: unknown, ...args: unknown[]) {
    if (starting || !queriesWanted()) {
      starting = false; // the callback's own request: requests it starts later are not
      return original.apply(this, args);
    }
    return withoutIssuer(() => original.apply(this, args));
  };
}

interface Loader {
  request?: unknown;
  options?: { singleLoader?: unknown; batchLoader?: unknown };
}

/**
 * Prisma's batching loader runs, on one tick, every batch queued in that
 * tick, from the async context of the call that scheduled the tick: another
 * call's statements would take that call's request and line. Each request
 * keeps the context it was queued in, and is run in it.
 */
function keepCallContexts(client: unknown): void {
  const loader = (client as { _requestHandler?: { dataloader?: Loader } } | null)?._requestHandler?.dataloader;
  const options = loader?.options;
  if (!loader || !options || typeof loader.request !== 'function') return;
  const { singleLoader, batchLoader } = options;
  if (typeof singleLoader !== 'function' || typeof batchLoader !== 'function') return;
  const contexts = new WeakMap<object, AsyncResource>();
  const request = loader.request as AnyMethod;
  loader.request = function (this: unknown, ...args: unknown[]) {
    const [queued] = args;
    if (queriesWanted() && typeof queued === 'object' && queued !== null) {
      contexts.set(queued, new AsyncResource('culprit.prisma.request'));
    }
    return request.apply(this, args);
  };
  const inContextOf = (queued: unknown, run: () => unknown) => {
    const context = typeof queued === 'object' && queued !== null ? contexts.get(queued) : undefined;
    return context ? context.runInAsyncScope(run) : run();
  };
  options.singleLoader = function (this: unknown, ...args: unknown[]) {
    return inContextOf(args[0], () => (singleLoader as AnyMethod).apply(this, args));
  };
  // one statement for several calls: it counts for the first call's request and line
  options.batchLoader = function (this: unknown, ...args: unknown[]) {
    const first = Array.isArray(args[0]) ? args[0][0] : undefined;
    return inContextOf(first, () => (batchLoader as AnyMethod).apply(this, args));
  };
}
