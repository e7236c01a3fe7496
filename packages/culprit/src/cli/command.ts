import type { Writable } from 'node:stream';

/** Exit status after Ctrl-C (128 + SIGINT, as shells report it), also when a partial report was printed. */
export const INTERRUPTED_EXIT = 130;

/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on Ctrl-C: long runs stop and still print what they have. */
  signal: AbortSignal;
}

/** One `culprit <name>` command: its help text and its entry point. */
export interface Command {
  /** One line for `culprit --help`. */
  summary: string;
  /** Full text for `culprit <name> --help`. */
  help: string;
  /** Returns the exit code; throws CulpritError for usage and run failures. */
  run(args: string[], io: CliIo): Promise<number>;
}
