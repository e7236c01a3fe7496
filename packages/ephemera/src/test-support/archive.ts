// Test archives: a small seeded database on SQLite (temp file) or on
// PostgreSQL in a private schema, dropped afterwards (the `test` database is
// shared with other users).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../build-app.js';
import type { DbConfig } from '../config.js';
import { openDataSource } from '../db/data-source.js';
import { seedArchive } from '../seed/seed.js';

export const PG_URL = process.env.EPHEMERA_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestArchive {
  db: DbConfig;
  count: number;
  app(options?: { incident?: boolean }): Promise<FastifyInstance>;
  /** Runs SQL on the archive directly, to check what the API wrote. */
  query(sql: string, parameters?: unknown[]): Promise<Array<Record<string, unknown>>>;
  cleanup(): Promise<void>;
}

/** null when PostgreSQL answers; otherwise why the PostgreSQL tests are skipped. */
export async function postgresUnavailable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return `PostgreSQL not reachable at ${PG_URL} (${error instanceof Error ? error.message : String(error)}); set EPHEMERA_TEST_PG to run these tests`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function createArchive(kind: 'sqlite' | 'postgres', count: number): Promise<TestArchive> {
  let db: DbConfig;
  let removeStorage: () => Promise<void>;
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ephemera-test-'));
    db = { kind: 'sqlite', file: join(dir, 'archive.sqlite') };
    removeStorage = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const schema = `ephemera_test_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
    db = { kind: 'postgres', url: PG_URL, schema };
    removeStorage = async () => {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    };
  }
  try {
    const dataSource = await openDataSource(db);
    try {
      await seedArchive(dataSource, count);
    } finally {
      await dataSource.destroy();
    }
  } catch (error) {
    await removeStorage(); // a failed set-up must not leave a schema behind in a shared database
    throw error;
  }
  const apps: FastifyInstance[] = [];
  return {
    db,
    count,
    async app(options = {}) {
      const app = await buildApp({ db, incident: options.incident ?? false, environment: 'production', logger: false });
      apps.push(app);
      return app;
    },
    async query(sql, parameters = []) {
      const direct = await openDataSource(db);
      try {
        return await direct.query(sql, parameters);
      } finally {
        await direct.destroy();
      }
    },
    async cleanup() {
      for (const app of apps) await app.close();
      await removeStorage();
    },
  };
}
