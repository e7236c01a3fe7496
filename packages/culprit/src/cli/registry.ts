import type { Command } from './command.js';

/**
 * Every `culprit` command by name, loaded on demand: a command's module pulls
 * in its whole pipeline (the viewer bundle, the profiler, the load client),
 * and start-up time counts, in `culprit bench` CPU figures above all.
 * A command is listed here only once it works; `culprit --help` loads them all
 * to print their summaries.
 */
export const commands: Record<string, () => Promise<Command>> = {
  bench: async () => (await import('./commands/bench.js')).benchCommand,
  check: async () => (await import('./commands/check.js')).checkCommand,
  compare: async () => (await import('./commands/compare.js')).compareCommand,
  diagnose: async () => (await import('./commands/diagnose.js')).diagnoseCommand,
  profile: async () => (await import('./commands/profile.js')).profileCommand,
  replay: async () => (await import('./commands/replay.js')).replayCommand,
  trace: async () => (await import('./commands/trace.js')).traceCommand,
  view: async () => (await import('./commands/view.js')).viewCommand,
  watch: async () => (await import('./commands/watch.js')).watchCommand,
};
