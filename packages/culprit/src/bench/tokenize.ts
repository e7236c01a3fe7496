import { CulpritError } from '../errors/culprit-error.js';

/** How one flag reads its value. `list` flags may repeat and keep every value. */
export type FlagKind = 'string' | 'list' | 'boolean';

export interface FlagSpec {
  /** Every spelling without dashes: one letter (`n`) or a word (`disable-keepalive`). */
  names: readonly string[];
  kind: FlagKind;
  /** Shown in --help, e.g. `N` for `-n N`. */
  value?: string;
  help: string;
}

export type FlagValues<K extends string> = Partial<Record<K, string | string[] | boolean>>;

/**
 * A tokenizer for hey-style and GNU-style flags at once: `-n 10`, `-n=10`,
 * `--requests 10`, and Go's single-dash long flags (`-host x`,
 * `-disable-keepalive`). node:util parseArgs cannot do the last kind, which
 * hey users type by habit. Flags map to canonical keys; unknown flags are a
 * usage error; `--` ends flags.
 */
export function tokenize<K extends string>(
  argv: readonly string[],
  specs: Readonly<Record<K, FlagSpec>>,
): { values: FlagValues<K>; positionals: string[] } {
  const byName = new Map<string, K>();
  for (const key of Object.keys(specs) as K[]) for (const name of specs[key].names) byName.set(name, key);
  const values: FlagValues<K> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const key = byName.get(name);
    if (key === undefined) {
      throw new CulpritError('CULPRIT_E_UNKNOWN_FLAG', `unknown flag '${arg}' (see culprit bench --help)`);
    }
    const spec = specs[key];
    let inline: string | undefined = eq < 0 ? undefined : body.slice(eq + 1);
    if (spec.kind === 'boolean') {
      if (inline !== undefined && inline !== 'true' && inline !== 'false') {
        throw new CulpritError('CULPRIT_E_BAD_FLAG_VALUE', `flag '${arg}' takes no value (or =true / =false)`);
      }
      values[key] = inline !== 'false';
      continue;
    }
    if (inline === undefined) {
      const next = argv[i + 1];
      if (next === undefined) {
        throw new CulpritError(
          'CULPRIT_E_MISSING_ARGUMENT',
          `flag '${arg}' needs a value${spec.value ? ` (${spec.value})` : ''}`,
        );
      }
      inline = next;
      i++;
    }
    if (spec.kind === 'list') {
      const previous = values[key];
      values[key] = Array.isArray(previous) ? [...previous, inline] : [inline];
    } else {
      values[key] = inline;
    }
  }
  return { values, positionals };
}

/** Throws a usage error if two flags declared as conflicting were both given. */
export function checkConflicts<K extends string>(
  values: FlagValues<K>,
  specs: Readonly<Record<K, FlagSpec>>,
  conflicts: readonly (readonly [K, K])[],
): void {
  for (const [a, b] of conflicts) {
    if (values[a] !== undefined && values[b] !== undefined && values[a] !== false && values[b] !== false) {
      throw new CulpritError(
        'CULPRIT_E_FLAG_CONFLICT',
        `flags ${flagLabel(specs[a])} and ${flagLabel(specs[b])} cannot be used together; pick one`,
      );
    }
  }
}

/** `-n/--requests` style label for messages and help. */
export function flagLabel(spec: FlagSpec): string {
  return spec.names.map((n) => (n.length === 1 ? `-${n}` : `--${n}`)).join('/');
}
