import pg from 'pg';

export const DATABASE = process.env.PGDATABASE ?? 'diag_search_fastify_pg';

export function connectionConfig(database = DATABASE) {
  return {
    host: process.env.PGHOST ?? '127.0.0.1',
    port: Number(process.env.PGPORT ?? 5432),
    user: process.env.PGUSER ?? 'postgres',
    password: process.env.PGPASSWORD,
    database,
  };
}

export const pool = new pg.Pool({ ...connectionConfig(), max: 10 });
