import Router from '@koa/router';
import { buildFeed } from '../services/feedService.js';
import { activeSources } from '../repositories/sourceRepository.js';

export const router = new Router();

router.get('/feed', (ctx) => {
  const raw = Number.parseInt(String(ctx.query.limit ?? '50'), 10);
  const limit = Number.isFinite(raw) ? Math.min(Math.max(raw, 1), 200) : 50;
  const category = typeof ctx.query.category === 'string' ? ctx.query.category : undefined;
  ctx.body = buildFeed(limit, category);
});

router.get('/sources', (ctx) => {
  ctx.body = { sources: activeSources() };
});

router.get('/healthz', (ctx) => {
  ctx.body = { ok: true };
});
