'use strict';

const { createApp } = require('./src/app');
const { knex } = require('./src/db');

const port = Number(process.env.PORT || 4722);
const server = createApp().listen(port, '127.0.0.1', () => {
  console.log(`conduit api listening on http://127.0.0.1:${port}`);
});

function shutdown() {
  server.close(() => knex.destroy().finally(() => process.exit(0)));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
