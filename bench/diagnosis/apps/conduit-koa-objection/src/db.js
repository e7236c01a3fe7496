'use strict';

const Knex = require('knex');
const { Model } = require('objection');

const DATABASE = process.env.PGDATABASE || 'diag_conduit_koa_objection';

function connectionFor(database) {
  return {
    host: process.env.PGHOST || '127.0.0.1',
    port: Number(process.env.PGPORT || 5432),
    user: process.env.PGUSER || 'postgres',
    password: process.env.PGPASSWORD || undefined,
    database,
  };
}

const knex = Knex({
  client: 'pg',
  connection: connectionFor(DATABASE),
  pool: { min: 0, max: 10 },
});

Model.knex(knex);

module.exports = { knex, connectionFor, DATABASE };
