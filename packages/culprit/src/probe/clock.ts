/**
 * `performance.now()` and `performance.timeOrigin` for the modules every
 * preloaded process loads at start (culprit/register's bundle): node:perf_hooks
 * is loaded at the first reading, not with the module. On Node 20 it is nine
 * built-in modules, compiled at every start-up of an app that may never read
 * the clock before its first recorded request.
 */
import type { Performance } from 'node:perf_hooks';

let loaded: Performance | undefined;

// node:perf_hooks's own object, as the import gave it (not the global, which an app may replace)
const real = (): Performance => {
  loaded ??= process.getBuiltinModule('node:perf_hooks').performance;
  return loaded;
};

export const performance = {
  now: (): number => real().now(),
  get timeOrigin(): number {
    return real().timeOrigin;
  },
};
