import pg from 'pg';

export const DB_NAME = process.env.PGDATABASE ?? 'diag_telemetry_hono_pg';

const baseConfig = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
  password: process.env.PGPASSWORD,
};

export const pool = new pg.Pool({ ...baseConfig, database: DB_NAME, max: 10 });

export async function ensureDatabase(): Promise<void> {
  const admin = new pg.Client({ ...baseConfig, database: 'test' });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  } finally {
    await admin.end();
  }
}
