// Where the archive's data lives and how the service behaves, from flags or env.
import { fileURLToPath } from 'node:url';

export type DbConfig =
  | { kind: 'sqlite'; file: string }
  /** `schema` sets PostgreSQL's search_path, so tests and benches can use a private schema. */
  | { kind: 'postgres'; url: string; schema: string | null };

export interface EphemeraOptions {
  db: DbConfig;
  /** Puts the story's leftover debug code back into getSerializer(). */
  incident: boolean;
  /** Like Django's DJANGO_ENV: the leftover code only *means* to act in 'development'. */
  environment: string;
  /** Fastify request logging (off by default: it would dominate profiles). */
  logger: boolean;
}

/** packages/ephemera/.data/ephemera.sqlite, from both src/ (tsx) and dist/. */
export const DEFAULT_SQLITE_FILE = fileURLToPath(new URL('../.data/ephemera.sqlite', import.meta.url));

export class ConfigError extends Error {}

/**
 * Reads a --db value: a postgres:// URL (with an optional `?schema=` of ours)
 * or a SQLite file path (`sqlite:` prefix optional, `:memory:` allowed).
 */
export function parseDb(value: string | undefined): DbConfig {
  if (value === undefined || value === '') return { kind: 'sqlite', file: DEFAULT_SQLITE_FILE };
  if (/^postgres(ql)?:\/\//.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ConfigError(`--db: "${value}" is not a valid PostgreSQL URL (expected postgres://user@host:port/db)`);
    }
    const schema = url.searchParams.get('schema');
    if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new ConfigError(`--db: schema "${schema}" must be a lower-case SQL identifier`);
    }
    url.searchParams.delete('schema');
    return { kind: 'postgres', url: url.toString(), schema };
  }
  const file = value.startsWith('sqlite:') ? value.slice('sqlite:'.length) : value;
  if (file === '') throw new ConfigError('--db: "sqlite:" needs a file path after it');
  return { kind: 'sqlite', file };
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value);
}

/** The configuration module mode uses: EPHEMERA_DB or DATABASE_URL, EPHEMERA_INCIDENT, EPHEMERA_ENV. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): EphemeraOptions {
  return {
    db: parseDb(env.EPHEMERA_DB || env.DATABASE_URL),
    incident: truthy(env.EPHEMERA_INCIDENT),
    environment: env.EPHEMERA_ENV || env.NODE_ENV || 'production',
    logger: truthy(env.EPHEMERA_LOG),
  };
}

/** How to show a DbConfig to a person (no password). */
export function describeDb(db: DbConfig): string {
  if (db.kind === 'sqlite') return `sqlite:${db.file}`;
  const url = new URL(db.url);
  url.password = '';
  return `${url.toString()}${db.schema ? ` (schema ${db.schema})` : ''}`;
}
