'use strict';

const Router = require('@koa/router');
const { OrderNotFoundError, InvalidTransitionError } = require('../services/OrderService');

function createOrdersRouter(orderService) {
  const router = new Router({ prefix: '/orders' });

  router.get('/open', async (ctx) => {
    const customerId = Number.parseInt(ctx.query.customer, 10);
    if (!Number.isInteger(customerId) || customerId <= 0) {
      ctx.throw(400, 'customer query parameter must be a positive integer');
    }
    const orders = await orderService.getOpenOrdersForCustomer(customerId);
    ctx.body = { customerId, count: orders.length, orders };
  });

  router.get('/summary', async (ctx) => {
    ctx.body = await orderService.statusSummary();
  });

  router.get('/:id', async (ctx) => {
    try {
      ctx.body = await orderService.getOrder(Number(ctx.params.id));
    } catch (err) {
      if (err instanceof OrderNotFoundError) ctx.throw(404, err.message);
      throw err;
    }
  });

  router.post('/:id/status', async (ctx) => {
    const { status } = ctx.request.body || {};
    try {
      ctx.body = await orderService.changeStatus(Number(ctx.params.id), status);
    } catch (err) {
      if (err instanceof OrderNotFoundError) ctx.throw(404, err.message);
      if (err instanceof InvalidTransitionError) ctx.throw(409, err.message);
      throw err;
    }
  });

  return router;
}

module.exports = { createOrdersRouter };
