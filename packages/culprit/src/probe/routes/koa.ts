/**
 * Koa: a router (@koa/router, koa-router) writes the matched layer's path,
 * prefixes joined, on Koa's context as `ctx._matchedRoute` (older versions:
 * `ctx.routerPath`); the raw request does not lead to that context. Koa's
 * `createContext(req, res)` is wrapped once, where Koa's CommonJS file loads
 * (its ES module entry re-exports the same file), to note request → context
 * while routes are watched.
 */
import type { IncomingMessage } from 'node:http';
import { onCommonJsFile, packageFile } from '../queries/module-hook.js';
import { pathText, type RouteSource } from './types.js';

type CreateContext = (this: unknown, req: IncomingMessage, res: unknown) => unknown;
interface KoaContext {
  _matchedRoute?: unknown;
  routerPath?: unknown;
}

const PATCHED = Symbol.for('culprit.koa-routes');
const contexts = new WeakMap<IncomingMessage, KoaContext>();
let watching = false;
let hooked = false;

function patchApplication(exports: unknown): void {
  if (typeof exports !== 'function') return;
  const proto = exports.prototype as Record<string | symbol, unknown>;
  const original = proto.createContext;
  if (typeof original !== 'function' || proto[PATCHED]) return;
  const createContext = original as CreateContext;
  proto.createContext = function (this: unknown, req: IncomingMessage, res: unknown) {
    const context = createContext.call(this, req, res);
    if (watching && typeof context === 'object' && context !== null) contexts.set(req, context as KoaContext);
    return context;
  };
  Object.defineProperty(proto, PATCHED, { value: true });
}

export const koa: RouteSource = {
  id: 'koa',
  watch(on) {
    watching = on;
    if (on && !hooked) {
      hooked = true;
      onCommonJsFile(packageFile('koa', 'lib/application.js'), patchApplication);
    }
  },
  routeOf(request) {
    const context = contexts.get(request);
    if (!context) return undefined;
    return pathText(context._matchedRoute) ?? pathText(context.routerPath);
  },
};
