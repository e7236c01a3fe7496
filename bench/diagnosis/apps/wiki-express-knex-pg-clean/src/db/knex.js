import knexFactory from 'knex';

export const databaseName = process.env.PGDATABASE || 'diag_wiki_express_knex_pg_clean';

export const connection = {
  host: process.env.PGHOST || '127.0.0.1',
  port: Number(process.env.PGPORT || 5432),
  user: process.env.PGUSER || 'postgres',
  password: process.env.PGPASSWORD || undefined,
};

export function createKnex(database = databaseName) {
  return knexFactory({
    client: 'pg',
    connection: { ...connection, database },
    pool: { min: 0, max: 10 },
  });
}
