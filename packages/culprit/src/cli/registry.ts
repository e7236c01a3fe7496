import type { Command } from './command.js';
import { benchCommand } from './commands/bench.js';
import { compareCommand } from './commands/compare.js';
import { diagnoseCommand } from './commands/diagnose.js';
import { profileCommand } from './commands/profile.js';
import { traceCommand } from './commands/trace.js';
import { viewCommand } from './commands/view.js';

/**
 * Every `culprit` command by name. A command is listed here only once it
 * works; `culprit --help` is generated from this map.
 */
export const commands: Record<string, Command> = {
  bench: benchCommand,
  compare: compareCommand,
  diagnose: diagnoseCommand,
  profile: profileCommand,
  trace: traceCommand,
  view: viewCommand,
};
