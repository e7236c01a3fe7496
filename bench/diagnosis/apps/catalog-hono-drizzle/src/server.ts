import { serve } from '@hono/node-server';
import { app } from './app';
import { sqlite } from './db/client';

const port = Number(process.env.PORT || 4316);

const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => {
  console.log(`catalog listening on http://127.0.0.1:${info.port}`);
});

function shutdown() {
  server.close(() => {
    sqlite.close();
    process.exit(0);
  });
}

process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
