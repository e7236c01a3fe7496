/**
 * Starts a target and returns a RunningTarget: the one way commands reach an app.
 *
 * How to use it (the probe runs from dist/: `npm run build` first):
 *
 *   const target = await openTarget({ mode: 'module', modulePath: './src/app.ts', cwd, readyTimeoutMs: 30_000 });
 *   //   or { mode: 'command', command: ['npm', 'start'], cwd, readyTimeoutMs: 30_000, port?: 3000 }
 *   try {
 *     await target.probe.configureTrace({ queries: true, constructions: true, stacks: false }); // trace only
 *     const observed = await target.send({ method: 'GET', path: '/api/x?y=1' }); // one request, its record
 *     await target.probe.startCpuProfile({ intervalUs: 100 });                   // profile
 *     ... warm-up: target.send(...) ...
 *     await target.probe.startCpuWindow();                                      // the timing pass
 *     ... target.send(...) ...
 *     const cpu = await target.probe.stopCpuProfile();
 *     const locations = await target.probe.mapLocations([{ url, line, column }]); // 0-based in, 1-based out
 *   } finally {
 *     await target.close(); // kills the target's whole process group; idempotent
 *   }
 *
 * Send requests one at a time: each send waits for the probe's record of it
 * (matched by the marker header `send` adds; pass `{ signal }` so Ctrl-C ends it).
 * `target.notes` holds lines worth showing the user (port choice, export used).
 * Errors are CulpritErrors: MODULE_UNUSABLE (exit 2), TARGET_EXITED (with the
 * exit code and last 20 stderr lines), TARGET_TIMEOUT, TARGET_FAILED.
 */
import { openCommandTarget } from './command-target.js';
import { openModuleTarget } from './module-target.js';
import type { RunningTarget, TargetOptions } from './types.js';

/** Opens a target in the mode its options name. */
export function openTarget(options: TargetOptions): Promise<RunningTarget> {
  return options.mode === 'module' ? openModuleTarget(options) : openCommandTarget(options);
}
