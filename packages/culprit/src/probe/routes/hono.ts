/**
 * Hono: the matched route's path is `c.req.routePath` on Hono's context; on
 * Node (@hono/node-server, and culprit's own module-mode bridge) the context's
 * `env.incoming` is the raw request. Hono defines almost everything per
 * instance; the `req` getter is one of the few prototype members, and Hono
 * reads it for every handler it composes (a lone handler that never reads
 * `c.req` is missed: its path is folded instead). The getter is wrapped where
 * Context's file loads: the CommonJS build through the module hook, the ES
 * module build by importing the app's own copy (an ES module is one instance
 * per file, so the app gets the patched class; no loader hook needed).
 */
import { existsSync } from 'node:fs';
import { dirname, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { noteFault } from '../faults.js';
import { onCommonJsFile, packageFile } from '../queries/module-hook.js';
import type { RouteSource } from './types.js';

interface HonoContext {
  env?: { incoming?: unknown };
  req: { routePath?: unknown };
}

const PATCHED = Symbol.for('culprit.hono-routes');
const contexts = new WeakMap<object, HonoContext>();
let watching = false;
let hooked = false;

function note(context: HonoContext): void {
  const incoming = context.env?.incoming;
  if (typeof incoming === 'object' && incoming !== null && contexts.get(incoming) !== context) {
    contexts.set(incoming, context);
  }
}

function patchContext(Context: unknown): void {
  if (typeof Context !== 'function') return;
  const proto = Context.prototype as Record<string | symbol, unknown>;
  const descriptor = Object.getOwnPropertyDescriptor(proto, 'req');
  const get = descriptor?.get;
  if (!get || proto[PATCHED]) return;
  Object.defineProperty(proto, 'req', {
    ...descriptor,
    get(this: HonoContext) {
      const req: unknown = get.call(this);
      if (watching) note(this);
      return req;
    },
  });
  Object.defineProperty(proto, PATCHED, { value: true });
}

/**
 * The ES module build of Context in the copy of hono the app resolves (from its main script, else the cwd):
 * the nearest `node_modules/hono` in the folder or one above it, as Node's resolution finds it. Looked up by
 * string and `existsSync`, not `createRequire(…).resolve('hono')`: culprit/register calls this at the app's
 * start, where each failed resolution threw an error with its stack and walked every folder through
 * `path.resolve` (the walks tipped Node's `normalizeString` into V8's optimizing compiler, ≈3 M instructions).
 */
function appContextFiles(): string[] {
  const dirs = new Set([process.cwd()]);
  if (process.argv[1]) dirs.add(dirname(process.argv[1]));
  const files = new Set<string>();
  for (const start of dirs) {
    for (let dir = start; ; ) {
      const folder = `${dir === sep ? '' : dir}${sep}node_modules${sep}hono`;
      if (existsSync(`${folder}${sep}package.json`)) {
        const file = `${folder}${sep}dist${sep}context.js`;
        if (existsSync(file)) files.add(file);
        break;
      }
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return [...files];
}

function hook(): void {
  onCommonJsFile(packageFile('hono', 'dist/cjs/context.js'), (exports) => {
    patchContext((exports as { Context?: unknown }).Context);
  });
  for (const file of appContextFiles()) {
    import(pathToFileURL(file).href).then(
      (module: { Context?: unknown }) => patchContext(module.Context),
      (error: unknown) => noteFault('hono routes', error),
    );
  }
}

export const hono: RouteSource = {
  id: 'hono',
  watch(on) {
    watching = on;
    if (on && !hooked) {
      hooked = true;
      hook();
    }
  },
  routeOf(request) {
    const context = contexts.get(request);
    if (!context) return undefined;
    try {
      const path = context.req.routePath;
      // only a catch-all middleware matched (a 404): no route said
      return typeof path === 'string' && path !== '*' && path !== '/*' ? path : undefined;
    } catch {
      return undefined; // nothing matched at all: routePath has no entry to read
    }
  },
};
