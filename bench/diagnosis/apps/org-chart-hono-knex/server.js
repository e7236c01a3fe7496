import { serve } from '@hono/node-server';
import { createApp } from './src/app.js';
import { migrate } from './src/db.js';

const port = Number(process.env.PORT ?? 4638);

await migrate();
serve({ fetch: createApp().fetch, hostname: '127.0.0.1', port }, (info) => {
  console.log(`org chart api listening on http://127.0.0.1:${info.port}`);
});
