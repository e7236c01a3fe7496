import { Hono } from 'hono';
import { org } from './routes/org.js';

export function createApp() {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.route('/org', org);
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((err, c) => {
    console.error(err);
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
