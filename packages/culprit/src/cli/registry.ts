import type { Command } from './command.js';
import { viewCommand } from './commands/view.js';

/**
 * Every `culprit` command by name. A command is listed here only once it
 * works; `culprit --help` is generated from this map.
 */
export const commands: Record<string, Command> = {
  view: viewCommand,
};
