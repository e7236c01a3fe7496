/**
 * Feathers 5 services: a service method the app calls (`app.service('users').get(id)`, in a resolver or a
 * hook) runs its hook chain through promise `then()` callbacks, which V8's async stack traces do not
 * cross: the statement the adapter issues below it reached the driver with the frames of the app-wide
 * `await next()` hooks only (an around hook that logs errors), so a per-message user lookup was named at
 * the logging hook instead of the resolver that made it. Each service method Feathers wraps with hooks
 * (`hookMixin`, `@feathersjs/feathers/lib/hooks.js`) now takes the stack and request where it is called
 * and lends them to every statement issued below it (pool-stack.ts `withEntryIssuer`); a method called
 * inside another's (the transport's `find`, then the resolver's `get`) goes first, the outer's after.
 */
import { noteFault } from '../faults.js';
import { lendFromEntries } from './entry-issuer.js';
import { onCommonJsFile, packageFile } from './module-hook.js';

/** The service methods Feathers gives hooks by default; a service's own `methods` option adds others. */
const STANDARD_METHODS = ['find', 'get', 'create', 'update', 'patch', 'remove'];

let installed = false;

export function install(): void {
  if (installed) return;
  installed = true;
  onCommonJsFile(packageFile('@feathersjs/feathers', 'lib/hooks.js'), (exports) => {
    if (typeof exports !== 'object' || exports === null) return;
    const holder = exports as Record<string, unknown>;
    const mixin = holder.hookMixin;
    if (typeof mixin !== 'function') return;
    // the application reads `hookMixin` off this module's exports when it is constructed, after this file loads
    holder.hookMixin = lendingMixin(mixin as HookMixin);
  });
}

type HookMixin = (this: unknown, service: unknown, path: unknown, options: unknown) => unknown;

function lendingMixin(original: HookMixin): HookMixin {
  return function hookMixin(this: unknown, service: unknown, path: unknown, options: unknown) {
    const result = original.call(this, service, path, options);
    try {
      if (typeof service === 'object' && service !== null) lendFromServiceMethods(service, options);
    } catch (error) {
      noteFault('feathers issuer', error);
    }
    return result;
  };
}

/** Patches the hook-wrapped methods of `service`, keeping the properties Feathers reads off them. */
export function lendFromServiceMethods(service: object, options: unknown): void {
  const names = new Set(STANDARD_METHODS);
  const extra = (options as { methods?: unknown } | undefined)?.methods;
  if (Array.isArray(extra)) for (const name of extra) if (typeof name === 'string') names.add(name);
  const hooked = [...names].filter((name) => Object.hasOwn(service, name) && isHooked(Reflect.get(service, name)));
  if (hooked.length === 0) return;
  const before = new Map(hooked.map((name) => [name, Reflect.get(service, name) as object]));
  const pattern = new RegExp(`^(?:${hooked.join('|')})$`);
  lendFromEntries(service, pattern, { label: 'feathers issuer' });
  for (const [name, original] of before) {
    const patched = Reflect.get(service, name) as object;
    if (patched !== original) copyOwnProperties(patched, original);
  }
}

/** A method `@feathersjs/hooks` wrapped: it carries the hook context factory transports call. */
function isHooked(value: unknown): boolean {
  return typeof value === 'function' && typeof (value as { createContext?: unknown }).createContext === 'function';
}

/**
 * The hook manager (under a symbol), `createContext`, `Context` and `original` live on the wrapped function:
 * `service.hooks({ get: […] })` and the transports read them off whatever the method is now.
 */
function copyOwnProperties(target: object, source: object): void {
  for (const key of Reflect.ownKeys(source)) {
    if (key === 'name' || key === 'length' || key === 'prototype' || Object.hasOwn(target, key)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(source, key);
    if (descriptor) Object.defineProperty(target, key, descriptor);
  }
}
