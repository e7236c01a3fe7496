import { Hono } from 'hono';
import type { NotesService } from '../services/notes';

function parseId(raw: string): number | null {
  const id = Number(raw);
  return Number.isInteger(id) && id > 0 && id < 2 ** 31 ? id : null;
}

export function notesRoutes(service: NotesService) {
  const app = new Hono();

  app.get('/notes/:id', async (c) => {
    const id = parseId(c.req.param('id'));
    if (id === null) return c.json({ error: 'invalid note id' }, 400);
    const note = await service.getNote(id);
    if (!note) return c.json({ error: 'note not found' }, 404);
    return c.json({
      id: note.id,
      notebookId: note.notebookId,
      title: note.title,
      body: note.body,
      pinned: note.pinned === 1,
      createdAt: note.createdAt,
      updatedAt: note.updatedAt,
      attachments: note.attachments.map((a) => ({
        id: a.id,
        fileName: a.fileName,
        contentType: a.contentType,
        sizeBytes: a.sizeBytes,
        url: `/files/${a.storageKey}`,
      })),
    });
  });

  app.get('/notebooks/:id/notes', async (c) => {
    const id = parseId(c.req.param('id'));
    if (id === null) return c.json({ error: 'invalid notebook id' }, 400);
    const limit = Math.min(Math.max(Number(c.req.query('limit')) || 50, 1), 200);
    const items = await service.listNotebookNotes(id, limit);
    return c.json({ notes: items.map(({ body, ...rest }) => ({ ...rest, excerpt: body.slice(0, 140) })) });
  });

  app.patch('/notes/:id', async (c) => {
    const id = parseId(c.req.param('id'));
    if (id === null) return c.json({ error: 'invalid note id' }, 400);
    const payload = await c.req.json<{ title?: unknown; body?: unknown }>().catch(() => ({}) as Record<string, unknown>);
    const patch: { title?: string; body?: string } = {};
    if (typeof payload.title === 'string') patch.title = payload.title;
    if (typeof payload.body === 'string') patch.body = payload.body;
    if (Object.keys(patch).length === 0) return c.json({ error: 'nothing to update' }, 400);
    const updated = await service.updateNote(id, patch);
    if (!updated) return c.json({ error: 'note not found' }, 404);
    return c.json(updated);
  });

  return app;
}
