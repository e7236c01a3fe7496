'use strict';

const { createApp } = require('./app');
const { getDb, migrate } = require('./db');

const PORT = Number(process.env.PORT) || 4631;

migrate(getDb());
const app = createApp();
app.listen(PORT, '127.0.0.1', () => {
  console.log(`gallery api listening on http://127.0.0.1:${PORT}`);
});
