import express, { type NextFunction, type Request, type Response } from 'express';
import { webhooks } from './routes/webhooks.js';

export function createApp() {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.use('/webhooks', webhooks);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use((err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    const status = err.status ?? 500;
    if (status >= 500) console.error(err);
    res.status(status).json({ error: err.message });
  });
  return app;
}
