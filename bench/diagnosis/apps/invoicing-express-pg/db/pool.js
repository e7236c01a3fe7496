'use strict';

const { Pool, Client } = require('pg');

const DB_NAME = process.env.PGDATABASE || 'diag_invoicing_express_pg';
const base = {
  host: process.env.PGHOST || '127.0.0.1',
  port: Number(process.env.PGPORT || 5432),
  user: process.env.PGUSER || 'postgres',
  password: process.env.PGPASSWORD,
};

const pool = new Pool({ ...base, database: DB_NAME, max: 10 });

async function ensureDatabase() {
  const admin = new Client({ ...base, database: 'test' });
  await admin.connect();
  try {
    const res = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
    if (res.rowCount === 0) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  } finally {
    await admin.end();
  }
}

module.exports = { pool, ensureDatabase, DB_NAME };
