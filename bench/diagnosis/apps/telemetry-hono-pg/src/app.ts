import { Hono } from 'hono';
import { devices } from './routes/devices.js';

export function createApp(): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.route('/devices', devices);
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  return app;
}
