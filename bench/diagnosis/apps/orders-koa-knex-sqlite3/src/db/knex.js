'use strict';

const fs = require('fs');
const path = require('path');
const knexFactory = require('knex');

const filename = process.env.ORDERS_DB || path.join(__dirname, '..', '..', 'data', 'orders.sqlite');

function createKnex() {
  fs.mkdirSync(path.dirname(filename), { recursive: true });
  return knexFactory({
    client: 'sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      afterCreate(conn, done) {
        conn.run('PRAGMA journal_mode = WAL', (err) => done(err, conn));
      },
    },
  });
}

module.exports = { createKnex, filename };
