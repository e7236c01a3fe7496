'use strict';

const { Pool } = require('pg');

const config = {
  host: process.env.PGHOST || '127.0.0.1',
  port: Number(process.env.PGPORT || 5432),
  user: process.env.PGUSER || 'postgres',
  password: process.env.PGPASSWORD || undefined,
  database: process.env.PGDATABASE || 'diag_recipes_express_pg',
  max: 10,
};

const pool = new Pool(config);

pool.on('error', (err) => {
  console.error('pg pool error', err);
});

module.exports = { pool, config };
