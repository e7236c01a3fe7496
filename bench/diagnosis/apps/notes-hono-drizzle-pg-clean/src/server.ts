import { serve } from '@hono/node-server';
import { createApp } from './app';
import { db, pool } from './db/client';

const port = Number(process.env.PORT ?? 4729);
const server = serve({ fetch: createApp(db).fetch, port, hostname: '127.0.0.1' }, (info) => {
  console.log(`notes api listening on http://127.0.0.1:${info.port}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close(() => {
      pool.end().finally(() => process.exit(0));
    });
  });
}
