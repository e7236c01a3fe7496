'use strict';

const Router = require('@koa/router');
const invoiceService = require('../services/invoiceService');

const router = new Router({ prefix: '/invoices' });

router.get('/', async (ctx) => {
  const status = ctx.query.status || 'open';
  if (!invoiceService.STATUSES.includes(status)) {
    ctx.throw(400, `status must be one of ${invoiceService.STATUSES.join(', ')}`);
  }
  const limit = Math.min(Math.max(Number.parseInt(ctx.query.limit, 10) || 50, 1), 200);
  const offset = Math.max(Number.parseInt(ctx.query.offset, 10) || 0, 0);
  const items = await invoiceService.listInvoices({ status, limit, offset });
  ctx.body = { status, limit, offset, items };
});

router.get('/:id', async (ctx) => {
  const invoice = await invoiceService.getInvoice(Number(ctx.params.id));
  if (!invoice) ctx.throw(404, 'invoice not found');
  ctx.body = invoice;
});

router.post('/:id/pay', async (ctx) => {
  const invoice = await invoiceService.markPaid(Number(ctx.params.id));
  if (!invoice) ctx.throw(404, 'invoice not found');
  ctx.body = invoice;
});

module.exports = router;
