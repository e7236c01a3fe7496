'use strict';

const { createApp } = require('./src/app');
const { sequelize } = require('./src/models');

const port = Number(process.env.PORT || 4319);

async function main() {
  await sequelize.authenticate();
  const server = createApp().listen(port, '127.0.0.1', () => {
    console.log(`invoices service listening on http://127.0.0.1:${port}`);
  });
  const shutdown = () => server.close(() => sequelize.close().finally(() => process.exit(0)));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
