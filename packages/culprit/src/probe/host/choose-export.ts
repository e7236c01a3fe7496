/**
 * Which export of the user's module is served, and which one function (if
 * any) is called to make the app. Importing a module must not run its other
 * functions: `initDatabase()` or `getConnection()` may drop a table or open a
 * pool. So only a documented factory name is ever called on its own, and a
 * bare function is served as a handler only under a handler's name; any
 * other export is used only when the user names it (`--app src/app.ts#name`).
 */
import { ACCEPTED, type AppAdapter, appAdapters, describeExport } from './adapters.js';

/** The factories module mode calls by itself (no arguments): README and --help list the same names. */
export const DOCUMENTED_FACTORIES = ['buildApp', 'createApp', 'makeApp', 'buildServer', 'createServer', 'makeServer'];

/** Export names whose bare function is served as a (req, res) listener or fetch handler. */
const HANDLER_NAMES = ['default', 'app', 'server', 'handler', 'fetch', 'listener'];

const PREFERRED = [...HANDLER_NAMES, ...DOCUMENTED_FACTORIES];

/** What to do with the module: serve `value` through `adapter`, after calling it when `call`. */
export type Choice =
  | { kind: 'serve'; name: string; value: unknown; adapter: AppAdapter }
  | { kind: 'call'; name: string; factory: () => unknown }
  | { kind: 'none'; message: string };

/** Export names in the order they are tried: the usual names first, then `default.x` of CommonJS. */
export function orderedExports(namespace: Record<string, unknown>): Array<[string, unknown]> {
  const rank = (n: string): number => (PREFERRED.includes(n) ? PREFERRED.indexOf(n) : PREFERRED.length);
  const names = Object.keys(namespace).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const entries: Array<[string, unknown]> = names.map((name) => [name, namespace[name]]);
  // CommonJS through ESM: `default` is module.exports, whose own keys are exports too
  const cjs = namespace.default;
  if (cjs && typeof cjs === 'object' && !Array.isArray(cjs)) {
    for (const [name, value] of Object.entries(cjs)) entries.push([`default.${name}`, value]);
  }
  return entries;
}

const bare = (name: string): string => name.replace(/^default\./, '');
const isFunction = (value: unknown): value is (...args: unknown[]) => unknown => typeof value === 'function';

/** An adapter that accepts `value` without calling it; bare functions only when `handlersToo`. */
function adapterFor(value: unknown, handlersToo: boolean): AppAdapter | undefined {
  const adapter = appAdapters.find((candidate) => candidate.detect(value));
  if (!adapter) return undefined;
  const byArity = isFunction(value) && (adapter.id === 'fetch' || adapter.id === 'listener');
  return byArity && !handlersToo ? undefined : adapter;
}

/** Picks among exports whose promises are already settled (`value` awaited), calling nothing. */
export function chooseExport(
  entries: Array<[string, unknown]>,
  wanted: string | undefined,
  modulePath: string,
): Choice {
  if (wanted !== undefined) {
    const entry = entries.find(([name]) => name === wanted || name === `default.${wanted}`);
    if (!entry) {
      const names = entries.map(([name]) => name).join(', ') || 'none';
      return { kind: 'none', message: `${modulePath} has no export named '${wanted}' (its exports: ${names})` };
    }
    const [name, value] = entry;
    // named by the user: a function without parameters is their factory
    if (isFunction(value) && value.length === 0 && !adapterFor(value, false)) {
      return { kind: 'call', name, factory: value };
    }
    const adapter = adapterFor(value, true);
    if (adapter) return { kind: 'serve', name, value, adapter };
    return {
      kind: 'none',
      message: `${modulePath}#${wanted} is not something culprit can serve (${describeExport(name, value)}); expected ${ACCEPTED}`,
    };
  }
  for (const [name, value] of entries) {
    const adapter = adapterFor(value, HANDLER_NAMES.includes(bare(name)));
    if (adapter) return { kind: 'serve', name, value, adapter };
  }
  const factory = entries.find(
    ([name, value]) => DOCUMENTED_FACTORIES.includes(bare(name)) && isFunction(value) && value.length <= 1,
  );
  if (factory) return { kind: 'call', name: factory[0], factory: factory[1] as () => unknown };
  const found = entries.map(([name, value]) => describeExport(name, value)).join('; ') || 'no exports';
  return {
    kind: 'none',
    message: `${modulePath} exports nothing culprit can serve (found: ${found}); expected ${ACCEPTED}, or name the export: --app ${modulePath}#NAME`,
  };
}
