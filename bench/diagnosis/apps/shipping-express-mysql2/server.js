'use strict';

const { createApp } = require('./src/app');
const { pool } = require('./src/db');

const port = Number(process.env.PORT || 4721);
const server = createApp().listen(port, '127.0.0.1', () => {
  console.log(`shipping service listening on http://127.0.0.1:${port}`);
});

function shutdown() {
  server.close(() => pool.end().finally(() => process.exit(0)));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
