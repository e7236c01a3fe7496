/**
 * The `http`/`https` `request` and `get` wrappers that take the caller's
 * stack (Node publishes `http.client.request.start` on a later tick, with no
 * app frame). They are put in place as the app first requires the module, so
 * a `const { request } = require('https')` holds the wrapper, yet loading the
 * probe loads neither module (https brings TLS and crypto: several ms in
 * every process of the tree). What a call records comes from http-client.ts,
 * loaded with the recorder; until then the wrapper only passes through.
 */
import { syncBuiltinESMExports } from 'node:module';
import { noteFault } from '../faults.js';

/**
 * Calls `original` on `self` with `args` and notes the request it returns; set by http-client.ts.
 * The call comes as its parts, not a closure: a wrapper allocates nothing per call when no trace listens.
 */
export type IssueHook = (
  name: string,
  original: RequestFunction,
  self: unknown,
  args: unknown[],
  /** The wrapper the app called: the stack is taken below it, so V8 walks and reads neither it nor the hook. */
  wrapper: (...args: never[]) => unknown,
) => object;

export type RequestFunction = (...args: unknown[]) => object;
type Load = (request: unknown, ...rest: unknown[]) => unknown;
const WRAPPED = Symbol.for('culprit.http-client');
const MODULE_IDS = new Set(['http', 'node:http', 'https', 'node:https']);

let onIssue: IssueHook | undefined;
let watching = false;

export function setIssueHook(hook: IssueHook): void {
  onIssue = hook;
}

function wrap(module: Record<string, unknown>, name: 'request' | 'get'): void {
  const original = module[name] as RequestFunction & { [WRAPPED]?: true };
  if (typeof original !== 'function' || original[WRAPPED]) return;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    const hook = onIssue;
    if (!hook) return original.apply(this, args);
    return hook(name, original, this, args, wrapped);
  };
  Object.defineProperty(wrapped, WRAPPED, { value: true });
  Object.defineProperty(wrapped, 'name', { value: original.name });
  module[name] = wrapped;
}

/** Wraps one module's `request` and `get` (idempotent); ES module named imports follow. */
export function wrapHttpModule(module: unknown): void {
  try {
    if (typeof module !== 'object' || module === null) return;
    wrap(module as Record<string, unknown>, 'request');
    wrap(module as Record<string, unknown>, 'get');
    syncBuiltinESMExports();
  } catch (error) {
    noteFault('http client hooks', error);
  }
}

/**
 * Wraps `http`/`https` when CommonJS code first requires them (one string
 * test per `require`). ES modules import built-ins without `require`: the
 * recorder wraps the loaded ones when it starts (live bindings follow).
 */
export function wrapHttpOnRequire(): void {
  if (watching) return;
  watching = true;
  const Module = process.getBuiltinModule('node:module') as unknown as { _load: Load };
  const load = Module._load;
  const unwrapped = new Set(MODULE_IDS);
  Module._load = function culpritLoad(this: unknown, request: unknown, ...rest: unknown[]) {
    const exports = Reflect.apply(load, this, [request, ...rest]);
    if (unwrapped.size > 0 && typeof request === 'string' && unwrapped.has(request)) {
      wrapHttpModule(exports);
      const bare = request.replace(/^node:/, '');
      unwrapped.delete(bare);
      unwrapped.delete(`node:${bare}`);
    }
    return exports;
  };
}
