'use strict';

const express = require('express');
const { authenticate } = require('./middleware/authenticate');
const contactsRouter = require('./routes/contacts');

function createApp() {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json());

  app.get('/healthz', (req, res) => res.json({ ok: true }));
  app.use('/api', authenticate);
  app.use('/api/contacts', contactsRouter);

  app.use((req, res) => res.status(404).json({ error: 'not found' }));
  // eslint-disable-next-line no-unused-vars
  app.use((err, req, res, next) => {
    console.error(err);
    res.status(500).json({ error: 'internal error' });
  });
  return app;
}

module.exports = { createApp };
