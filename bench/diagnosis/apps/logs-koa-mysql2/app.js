'use strict';

const Koa = require('koa');
const bodyParser = require('koa-bodyparser');
const router = require('./lib/routes');
const { pool } = require('./lib/db');

const app = new Koa();

app.use(async (ctx, next) => {
  const started = Date.now();
  try {
    await next();
  } catch (err) {
    ctx.status = err.status || 500;
    ctx.body = { error: ctx.status < 500 ? err.message : 'internal error' };
    if (ctx.status >= 500) console.error(err);
  }
  ctx.set('X-Response-Time', `${Date.now() - started}ms`);
});
app.use(bodyParser());
app.use(router.routes());
app.use(router.allowedMethods());

const port = Number(process.env.PORT || 4727);
const server = app.listen(port, '127.0.0.1', () => {
  console.log(`audit log viewer listening on http://127.0.0.1:${port}`);
});

function shutdown() {
  server.close(() => pool.end(() => process.exit(0)));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
