import { Hono } from 'hono';
import type { Db } from './db/client';
import { notesRoutes } from './routes/notes';
import { createNotesService } from './services/notes';

export function createApp(db: Db) {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.route('/', notesRoutes(createNotesService(db)));
  app.onError((err, c) => {
    console.error(err);
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
