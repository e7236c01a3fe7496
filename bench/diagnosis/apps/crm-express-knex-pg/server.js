'use strict';

const { createApp } = require('./src/app');
const { db } = require('./src/db');

const port = Number(process.env.PORT || 4725);
const server = createApp().listen(port, '127.0.0.1', () => {
  console.log(`crm api listening on http://127.0.0.1:${port}`);
});

function shutdown() {
  server.close(() => db.destroy().finally(() => process.exit(0)));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
