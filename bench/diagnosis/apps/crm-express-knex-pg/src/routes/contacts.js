'use strict';

const express = require('express');
const { requirePermission } = require('../middleware/requirePermission');
const contactService = require('../services/contactService');
const { formatContact, formatContacts } = require('../formatters/contactFormatter');

const router = express.Router();

router.get('/', requirePermission('contacts:read'), async (req, res) => {
  const limit = Math.min(Math.max(parseInt(req.query.limit, 10) || 25, 1), 200);
  const offset = Math.max(parseInt(req.query.offset, 10) || 0, 0);
  const filters = {
    stage: contactService.STAGES.includes(req.query.stage) ? req.query.stage : undefined,
    ownerId: req.query.owner === 'me' ? res.locals.userId : undefined,
    q: typeof req.query.q === 'string' && req.query.q.length > 0 ? req.query.q : undefined,
  };
  const { rows, total } = await contactService.listContacts(filters, { limit, offset });
  res.json({ total, limit, offset, contacts: await formatContacts(req, rows) });
});

router.get('/:id', requirePermission('contacts:read'), async (req, res) => {
  const contact = await contactService.getContact(Number(req.params.id));
  if (!contact) return res.status(404).json({ error: 'contact not found' });
  res.json(await formatContact(req, contact));
});

router.patch('/:id/stage', requirePermission('contacts:write'), async (req, res) => {
  const stage = req.body && req.body.stage;
  if (!contactService.STAGES.includes(stage)) {
    return res.status(400).json({ error: `stage must be one of ${contactService.STAGES.join(', ')}` });
  }
  const ok = await contactService.updateStage(Number(req.params.id), stage);
  if (!ok) return res.status(404).json({ error: 'contact not found' });
  res.status(204).end();
});

module.exports = router;
