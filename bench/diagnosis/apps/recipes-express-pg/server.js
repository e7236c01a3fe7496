'use strict';

const { createApp } = require('./app');
const { pool } = require('./db/pool');

const port = Number(process.env.PORT || 4311);
const app = createApp();

const server = app.listen(port, '127.0.0.1', () => {
  console.log(`recipes api listening on http://127.0.0.1:${port}`);
});

function shutdown() {
  server.close(() => pool.end().finally(() => process.exit(0)));
}

process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
