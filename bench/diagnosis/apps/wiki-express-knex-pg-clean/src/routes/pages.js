import { Router } from 'express';

export function pagesRouter(pageService) {
  const router = Router();

  router.get('/', async (req, res) => {
    const limit = Math.min(Math.max(Number.parseInt(req.query.limit, 10) || 20, 1), 100);
    const before = req.query.before ? new Date(String(req.query.before)) : undefined;
    if (before && Number.isNaN(before.getTime())) {
      return res.status(400).json({ error: 'before must be an ISO date' });
    }
    const items = await pageService.listRecentPages({ limit, before });
    const next = items.length === limit ? items[items.length - 1].updatedAt : null;
    res.json({ items, next });
  });

  router.get('/:slug', async (req, res) => {
    const page = await pageService.getPage(req.params.slug);
    if (!page) return res.status(404).json({ error: 'page not found' });
    res.json(page);
  });

  router.put('/:slug', async (req, res) => {
    const { title, body, summary } = req.body || {};
    if (!title || !body) return res.status(400).json({ error: 'title and body are required' });
    const page = await pageService.updatePage(req.params.slug, { title, body, summary: summary || '' });
    if (!page) return res.status(404).json({ error: 'page not found' });
    res.json(page);
  });

  return router;
}
