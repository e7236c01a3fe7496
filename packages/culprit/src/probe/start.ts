/**
 * What every probed process loads at its start, as one module. The build
 * (scripts/bundle-probe.mjs) bundles this file and the modules it re-exports
 * into dist/probe/start.js and turns each of those modules' own built file
 * into a re-export of it: a process then loads two files at start instead of
 * a dozen (each costs Node's ES module loader ≈0.3 ms), and the modules loaded
 * later (the recorder, the driver hooks) still share one copy of the state
 * these hold (faults, file hooks, the Worker subclass, the http wrapper).
 * Unbundled (tests, tsx) it is a plain re-export.
 */
export * from './bundle-lines.js';
export * from './faults.js';
export * from './hook-loading.js';
export * from './launchers.js';
export * from './listen-watch.js';
export * from './main-thread.js';
export { SOCKET_ENV } from './protocol.js';
export * from './queries/driver-files.js';
export * from './queries/esbuild-bundle.js';
export * from './queries/esm-hook.js';
export * from './queries/module-hook.js';
export * from './remote/http-wrap.js';
export * from './workers/envelope.js';
export * from './workers/main-side.js';
