#!/usr/bin/env node
// Node 22+: the CLI's own modules through V8's compile cache (dist/cli/compile-cache.js says why it is
// safe here); it covers what is loaded after it, so the bundle is imported after the call.
import { enableOwnCompileCache } from '../dist/cli/compile-cache.js';

enableOwnCompileCache();
const { main } = await import('../dist/cli-bundle/main.js');
process.exitCode = await main(process.argv.slice(2));
