/**
 * `node --require culprit/register server.js`: the entry package.json's `require` condition names, built
 * as CommonJS beside the ES module files (scripts/bundle-register.mjs: dist/register/require.cjs and the
 * twins of the chunks it loads). It registers synchronously before the app's first line, as index.ts
 * does with a top-level await. On Node 20 an `--import` starts the ES module loader in every process
 * (an empty `--import` file: 18.8 M instructions) and loads a CommonJS app's main script through it;
 * `--require` does neither (bench/probe/README.md, "Start-up, sixth pass").
 */
import { createRequire } from 'node:module';
import { cachedRequire } from '../probe/code-cache.js';
import { activate, needsStart } from './activation.js';

if (needsStart()) {
  // start's CommonJS twin beside this one, once built (require.cjs), through V8's code cache with the
  // chunks it requires (probe/code-cache.ts); the ES module file unbuilt (tests)
  const start = import.meta.url.endsWith('.cjs') ? './start.cjs' : './start.js';
  const here = decodeURIComponent(new URL(import.meta.url).pathname);
  // Node's own `require` only if the cache is off: createRequire walks this file's path (probe/queries/module-hook.ts)
  const entryRequire = (id: string): unknown => createRequire(import.meta.url)(id);
  activate(cachedRequire(here, entryRequire)(start) as typeof import('./start.js'));
}

export { counts, flush } from './activation.js';
