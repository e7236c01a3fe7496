import { resolve } from 'node:path';
import { CulpritError } from '../../errors/culprit-error.js';

export interface DiagnoseFlags {
  html: string | undefined;
  save: string | undefined;
  json: boolean;
  profile: boolean;
  /** Ask the database for query plans (`--no-explain` turns it off). */
  explain: boolean;
  /** `--allow-errors` (also left in `rest`: culprit trace's parser reads it too). */
  allowErrors: boolean;
  /** Everything else: a capture file, or target arguments in culprit trace's syntax. */
  rest: string[];
}

/**
 * Takes diagnose's own flags out of the argument list (before any `--`), so
 * the rest parses with culprit trace's parser: the target syntax is one.
 */
export function splitDiagnoseFlags(args: string[], cwd: string): DiagnoseFlags {
  const dashes = args.indexOf('--');
  const own = dashes < 0 ? args : args.slice(0, dashes);
  const tail = dashes < 0 ? [] : args.slice(dashes);
  const flags: DiagnoseFlags = {
    html: undefined,
    save: undefined,
    json: false,
    profile: true,
    explain: true,
    allowErrors: false,
    rest: [],
  };
  for (let i = 0; i < own.length; i++) {
    const arg = own[i] as string;
    const [name, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    if (name === '--html' || name === '--save') {
      const value = inline ?? own[++i];
      if (value === undefined || value === '') {
        throw new CulpritError(
          'CULPRIT_E_MISSING_ARGUMENT',
          `${name} expects a file name (see culprit diagnose --help)`,
        );
      }
      flags[name === '--html' ? 'html' : 'save'] = resolve(cwd, value);
    } else if (arg === '--json') {
      flags.json = true;
    } else if (arg === '--no-profile') {
      flags.profile = false;
    } else if (arg === '--no-explain') {
      flags.explain = false;
    } else if (arg === '--allow-errors') {
      flags.allowErrors = true;
      flags.rest.push(arg);
    } else {
      flags.rest.push(arg);
    }
  }
  flags.rest.push(...tail);
  if (flags.rest.length === 0) {
    throw new CulpritError(
      'CULPRIT_E_MISSING_ARGUMENT',
      'culprit diagnose needs a target (--app MODULE [METHOD] PATH, or URL -- command) or a capture file',
    );
  }
  return flags;
}
