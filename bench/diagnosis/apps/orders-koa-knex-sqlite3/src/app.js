'use strict';

const Koa = require('koa');
const bodyParser = require('koa-bodyparser');
const { OrderRepository } = require('./repositories/OrderRepository');
const { OrderService } = require('./services/OrderService');
const { createOrdersRouter } = require('./routes/orders');

function createApp(knex) {
  const app = new Koa();
  const orderService = new OrderService(new OrderRepository(knex));
  const ordersRouter = createOrdersRouter(orderService);

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
  app.use(ordersRouter.routes());
  app.use(ordersRouter.allowedMethods());
  app.use(async (ctx) => {
    if (ctx.path === '/health') ctx.body = { status: 'ok' };
  });
  return app;
}

module.exports = { createApp };
