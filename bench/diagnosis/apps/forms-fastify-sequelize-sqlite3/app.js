'use strict';

const Fastify = require('fastify');
const formRoutes = require('./routes/forms');

function buildApp(opts = {}) {
  const app = Fastify({ logger: false, ...opts });
  app.get('/healthz', async () => ({ ok: true }));
  app.register(formRoutes);
  app.setErrorHandler((err, request, reply) => {
    const status = err.statusCode || 500;
    if (status >= 500) request.log.error(err);
    reply.status(status).send({ error: err.message });
  });
  return app;
}

module.exports = { buildApp };
