import { type ParseArgsConfig, parseArgs } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

import { CulpritError } from '../errors/culprit-error.js';

/**
 * `parseArgs` with culprit's error contract: an unknown flag or a missing
 * value becomes one coded line pointing at the command's help (exit 2).
 */
export function parseFlags<const O extends Options>(command: string, args: string[], options: O): Parsed<O> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    throw new CulpritError('CULPRIT_E_UNKNOWN_FLAG', `${message} (see culprit ${command} --help)`, { cause: error });
  }
}
