'use strict';

const express = require('express');
const invoices = require('./routes/invoices');

function createApp() {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (req, res) => res.json({ ok: true }));
  app.use('/invoices', invoices);
  app.use((req, res) => res.status(404).json({ error: 'not found' }));
  // eslint-disable-next-line no-unused-vars
  app.use((err, req, res, next) => {
    const status = err.status || 500;
    if (status >= 500) console.error(err);
    res.status(status).json({ error: err.message });
  });
  return app;
}

module.exports = { createApp };
