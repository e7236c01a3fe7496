'use strict';

const { createApp } = require('./app');
const { sequelize } = require('./models');

const port = Number(process.env.PORT || 4315);

async function main() {
  await sequelize.authenticate();
  const server = createApp().listen(port, '127.0.0.1', () => {
    console.log(`blog api listening on http://127.0.0.1:${port}`);
  });
  const shutdown = () => server.close(() => sequelize.close().finally(() => process.exit(0)));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
