// The `ephemera` command: `seed --count N [--db URL]` and
// `serve [--port P] [--host H] [--db URL] [--incident]`.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { progressLine } from './cli/progress.js';
import { ConfigError, describeDb, optionsFromEnv, parseDb } from './config.js';
import { openDataSource } from './db/data-source.js';
import { MAX_SEED_COUNT, seedArchive } from './seed/seed.js';

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Resolves when the process is asked to stop (serve waits on it). */
  stopSignal: () => Promise<string>;
}

const HELP = `usage: ephemera <command> [options]

commands:
  seed  --count N [--db URL]                          replace the archive with N generated items
  serve [--port P] [--host H] [--db URL] [--incident]  serve the API (prints the address)

--db       a SQLite file (default packages/ephemera/.data/ephemera.sqlite) or postgres://… URL
           (also EPHEMERA_DB or DATABASE_URL); ?schema=NAME selects a PostgreSQL schema
--incident put the story's leftover debug code back into getSerializer() (also EPHEMERA_INCIDENT=1)
`;

class UsageError extends Error {}

function defaultIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stopSignal: () =>
      new Promise((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      }),
  };
}

function integer(flag: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${flag}: expected an integer from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

async function seed(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args, options: { count: { type: 'string' }, db: { type: 'string' } } });
  const count = integer('count', values.count, 10_000, 1, MAX_SEED_COUNT);
  const db = values.db === undefined ? optionsFromEnv().db : parseDb(values.db);
  const dataSource = await openDataSource(db);
  const progress = progressLine(io.stderr);
  try {
    const summary = await seedArchive(dataSource, count, (p) => {
      const label = p.phase === 'index' ? 'indexing' : `seeding ${p.phase}`;
      progress.update(label, p.done, p.total);
    });
    progress.done();
    const s = summary.size;
    io.stdout.write(
      `seeded ${s.ephemera.toLocaleString('en-US')} ephemera, ${s.people.toLocaleString('en-US')} people, ` +
        `${s.places} places, ${s.collections} collections in ${summary.seconds.toFixed(1)} s into ${describeDb(db)}\n`,
    );
    return 0;
  } finally {
    progress.done();
    await dataSource.destroy();
  }
}

async function serve(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      incident: { type: 'boolean' },
    },
  });
  const port = integer('port', values.port, 8000, 0, 65535);
  const env = optionsFromEnv();
  const { buildApp } = await import('./build-app.js');
  const app = await buildApp({
    db: values.db === undefined ? env.db : parseDb(values.db),
    incident: values.incident === true || env.incident,
  });
  const address = await app.listen({ port, host: values.host ?? '127.0.0.1' });
  io.stdout.write(`ephemera listening on ${address}${values.incident || env.incident ? ' (incident on)' : ''}\n`);
  await io.stopSignal();
  await app.close();
  return 0;
}

const commands: Record<string, (args: string[], io: Io) => Promise<number>> = { seed, serve };

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(HELP);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}"; expected seed or serve (ephemera --help)`);
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || isParseArgsError(error)) {
      io.stderr.write(`ephemera: ${(error as Error).message}\n`);
      return 2;
    }
    io.stderr.write(`ephemera: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function isParseArgsError(error: unknown): boolean {
  return error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
