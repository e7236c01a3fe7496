'use strict';

const Koa = require('koa');
const bodyParser = require('koa-bodyparser');
const invoicesRouter = require('./routes/invoices');

function createApp() {
  const app = new Koa();

  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      ctx.status = err.status || 500;
      ctx.body = { error: ctx.status < 500 ? err.message : 'internal server error' };
      if (ctx.status >= 500) console.error(err);
    }
  });
  app.use(bodyParser());
  app.use(invoicesRouter.routes());
  app.use(invoicesRouter.allowedMethods());
  app.use(async (ctx, next) => {
    if (ctx.path === '/health') {
      ctx.body = { status: 'ok' };
      return;
    }
    await next();
  });
  return app;
}

module.exports = { createApp };
