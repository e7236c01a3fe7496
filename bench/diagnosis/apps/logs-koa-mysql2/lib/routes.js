'use strict';

const Router = require('@koa/router');
const auditStore = require('./auditStore');

const router = new Router();

// auditStore speaks node-style callbacks; adapt one call to a promise for Koa.
function call(fn, ...args) {
  return new Promise((resolve, reject) => {
    fn(...args, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function presentEvent(row) {
  return {
    id: String(row.id),
    actor: row.actor,
    action: row.action,
    target: { type: row.target_type, id: row.target_id },
    ip: row.ip_address,
    userAgent: row.user_agent,
    outcome: row.outcome,
    at: row.created_at,
  };
}

router.get('/audit', async (ctx) => {
  const actor = String(ctx.query.user || '').trim();
  if (!/^u\d{1,9}$/.test(actor)) {
    ctx.throw(400, 'query parameter "user" must look like u123');
  }
  const limit = Math.min(Math.max(parseInt(ctx.query.limit, 10) || 50, 1), 500);
  const before = ctx.query.before ? String(ctx.query.before) : null;

  const rows = await call(auditStore.recentForActor, actor, limit, before);
  ctx.body = {
    user: actor,
    count: rows.length,
    nextBefore: rows.length === limit ? rows[rows.length - 1].created_at : null,
    events: rows.map(presentEvent),
  };
});

router.get('/audit/:id', async (ctx) => {
  const row = await call(auditStore.findById, ctx.params.id);
  if (!row) ctx.throw(404, 'audit event not found');
  ctx.body = { ...presentEvent(row), details: typeof row.details === 'string' ? JSON.parse(row.details) : row.details };
});

router.post('/audit', async (ctx) => {
  const event = ctx.request.body || {};
  if (!event.actor || !event.action || !event.targetType) {
    ctx.throw(400, 'actor, action and targetType are required');
  }
  const id = await call(auditStore.record, {
    ...event,
    ipAddress: ctx.ip,
    userAgent: ctx.get('user-agent'),
  });
  ctx.status = 201;
  ctx.body = { id: String(id) };
});

module.exports = router;
