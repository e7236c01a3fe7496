import { drizzle } from 'drizzle-orm/node-postgres';
import { Pool, type PoolConfig } from 'pg';
import * as schema from './schema';

export const DATABASE_NAME = process.env.PGDATABASE ?? 'diag_notes_hono_drizzle_pg_clean';

export function poolConfig(database: string = DATABASE_NAME): PoolConfig {
  return {
    host: process.env.PGHOST ?? '127.0.0.1',
    port: Number(process.env.PGPORT ?? 5432),
    user: process.env.PGUSER ?? 'postgres',
    password: process.env.PGPASSWORD,
    database,
    max: 10,
  };
}

export const pool = new Pool(poolConfig());
export const db = drizzle(pool, { schema, logger: process.env.DRIZZLE_LOG === 'true' });
export type Db = typeof db;
