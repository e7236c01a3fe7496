#!/usr/bin/env node
import nodeModule from 'node:module';

const argv = process.argv.slice(2);
let main;
if (typeof nodeModule.enableCompileCache === 'function') {
  // Node 22+: the CLI's own modules through V8's compile cache (dist/cli/compile-cache.js says why it is
  // safe here); it covers what is loaded after it, so the bundle is imported after the call.
  const { enableOwnCompileCache } = await import('../dist/cli/compile-cache.js');
  enableOwnCompileCache();
  ({ main } = await import('../dist/cli-bundle/main.js'));
} else {
  // Node 20 has no compile cache for ES modules: the same CLI as one CommonJS file, through V8's code
  // cache (dist/cli/cached-bundle.js)
  const { requireCachedBundle } = await import('../dist/cli/cached-bundle.js');
  ({ main } = requireCachedBundle(new URL('../dist/cli-bundle/main.cjs', import.meta.url), {
    argv,
    importResolve: import.meta.resolve,
  }));
}
process.exitCode = await main(argv);
