// Opens a TypeORM DataSource on SQLite (better-sqlite3) or PostgreSQL (pg).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import type { DbConfig } from '../config.js';
import { allSchemas } from './schemas.js';

export async function openDataSource(db: DbConfig): Promise<DataSource> {
  const dataSource =
    db.kind === 'sqlite'
      ? new DataSource({
          type: 'better-sqlite3',
          database: prepareFile(db.file),
          entities: allSchemas,
          // WAL + NORMAL sync: the usual production settings for a SQLite web app.
          enableWAL: db.file !== ':memory:',
          prepareDatabase: (handle: Database.Database) => {
            handle.pragma('synchronous = NORMAL');
            handle.pragma('busy_timeout = 5000');
            // SQLite's default page cache is 2 MB: far too small for the search index.
            handle.pragma('cache_size = -131072');
            handle.pragma('mmap_size = 1073741824');
          },
        })
      : new DataSource({
          type: 'postgres',
          url: db.url,
          entities: allSchemas,
          // pg passes `options` to the server: every session uses our schema first.
          extra: db.schema ? { options: `-c search_path=${db.schema}` } : {},
        });
  if (db.kind === 'postgres' && db.schema) await createPgSchema(db.url, db.schema);
  return dataSource.initialize();
}

function prepareFile(file: string): string {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  return file;
}

async function createPgSchema(url: string, schema: string): Promise<void> {
  const pg = await import('pg');
  const client = new pg.default.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    await client.end();
  }
}

/** The raw better-sqlite3 handle behind a SQLite DataSource (for bulk writes). */
export function sqliteHandle(dataSource: DataSource): Database.Database {
  const driver: unknown = dataSource.driver;
  if (typeof driver === 'object' && driver !== null && 'databaseConnection' in driver) {
    return driver.databaseConnection as Database.Database;
  }
  throw new Error('sqliteHandle: the DataSource is not a better-sqlite3 one');
}

export function isSqlite(dataSource: DataSource): boolean {
  return dataSource.options.type === 'better-sqlite3';
}
