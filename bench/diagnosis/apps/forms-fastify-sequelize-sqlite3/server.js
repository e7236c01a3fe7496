'use strict';

const { buildApp } = require('./app');
const { sequelize } = require('./models');

const PORT = Number(process.env.PORT) || 4634;

async function start() {
  await sequelize.authenticate();
  const app = buildApp();
  await app.listen({ port: PORT, host: '127.0.0.1' });
  console.log(`forms service listening on http://127.0.0.1:${PORT}`);
}

start().catch((err) => {
  console.error(err);
  process.exit(1);
});
