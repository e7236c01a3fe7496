'use strict';

const knexFactory = require('knex');

const DATABASE = process.env.PGDATABASE || 'diag_crm_express_knex_pg';

function connection(database = DATABASE) {
  return {
    host: process.env.PGHOST || '127.0.0.1',
    port: Number(process.env.PGPORT || 5432),
    user: process.env.PGUSER || 'postgres',
    password: process.env.PGPASSWORD || undefined,
    database,
  };
}

const db = knexFactory({ client: 'pg', connection: connection(), pool: { min: 0, max: 10 } });

module.exports = { db, connection, DATABASE };
