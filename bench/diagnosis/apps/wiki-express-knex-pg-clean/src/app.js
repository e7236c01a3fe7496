import express from 'express';
import { createPageService } from './services/pageService.js';
import { pagesRouter } from './routes/pages.js';

export function createApp(knex) {
  const app = express();
  app.use(express.json({ limit: '1mb' }));

  app.get('/health', (_req, res) => res.json({ status: 'ok' }));
  app.use('/api/pages', pagesRouter(createPageService(knex)));

  app.use((_req, res) => res.status(404).json({ error: 'not found' }));
  // eslint-disable-next-line no-unused-vars
  app.use((err, _req, res, _next) => {
    console.error(err);
    res.status(500).json({ error: 'internal server error' });
  });
  return app;
}
