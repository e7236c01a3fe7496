'use strict';

const Koa = require('koa');
const bodyParser = require('koa-bodyparser');
const articlesRouter = require('./routes/articles');
const { currentUser } = require('./middleware/auth');

function createApp() {
  const app = new Koa();

  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      ctx.status = err.status || 500;
      ctx.body = { errors: { body: [err.expose ? err.message : 'internal error'] } };
      if (ctx.status >= 500) console.error(err);
    }
  });
  app.use(bodyParser());
  app.use(currentUser());
  app.use(articlesRouter.routes());
  app.use(articlesRouter.allowedMethods());
  return app;
}

module.exports = { createApp };
