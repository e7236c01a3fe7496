import Koa from 'koa';
import { router } from './routes/feed.js';

export function createApp(): Koa {
  const app = new Koa();
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      console.error(err);
      ctx.status = 500;
      ctx.body = { error: 'internal error' };
    }
  });
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
