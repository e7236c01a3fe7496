import Fastify from 'fastify';
import searchRoutes from './routes/search.js';
import { pool } from './db.js';

export function buildApp(options = {}) {
  const app = Fastify({ logger: options.logger ?? false });
  app.get('/healthz', async () => ({ ok: true }));
  app.register(searchRoutes);
  app.addHook('onClose', async () => {
    await pool.end();
  });
  return app;
}
