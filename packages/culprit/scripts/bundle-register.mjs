#!/usr/bin/env node
// After tsc: dist/register/start.js (culprit/register's wiring: the driver,
// remote and router hooks, the sampled recorder, the export link) becomes one
// bundled file. An app preloaded with culprit/register loaded ~60 of culprit's
// modules at start-up, one by one through Node's ES module loader: ~40 ms of a
// trivial server's ~100 ms start (bench/register/overhead.mjs). Packages stay
// external (none is on this path today); the export worker stays its own file
// (started later, on its own thread), found beside the bundle's folder as before.
import { bundleInPlace } from './bundle-in-place.mjs';

await bundleInPlace(new URL('../dist/register/start.js', import.meta.url).pathname);
