'use strict';

const { createKnex } = require('./src/db/knex');
const { createApp } = require('./src/app');

const port = Number(process.env.PORT || 4314);
const knex = createKnex();
const server = createApp(knex).listen(port, '127.0.0.1', () => {
  console.log(`orders service listening on http://127.0.0.1:${port}`);
});

function shutdown() {
  server.close(() => knex.destroy().finally(() => process.exit(0)));
}

process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
