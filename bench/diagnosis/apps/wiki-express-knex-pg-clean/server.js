import { createKnex } from './src/db/knex.js';
import { createApp } from './src/app.js';

const port = Number(process.env.PORT || 4317);
const knex = createKnex();

const server = createApp(knex).listen(port, '127.0.0.1', () => {
  console.log(`wiki api listening on http://127.0.0.1:${port}`);
});

function shutdown() {
  server.close(() => knex.destroy().finally(() => process.exit(0)));
}

process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
