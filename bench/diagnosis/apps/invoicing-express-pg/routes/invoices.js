'use strict';

const express = require('express');
const exportService = require('../services/exportService');
const repo = require('../repositories/invoiceRepository');

const router = express.Router();

router.get('/export.csv', async (req, res) => {
  const month = String(req.query.month || '');
  const { filename, csv } = await exportService.exportMonth(month);
  res.set('content-type', 'text/csv; charset=utf-8');
  res.set('content-disposition', `attachment; filename="${filename}"`);
  res.send(csv);
});

router.get('/:number', async (req, res) => {
  const invoice = await repo.findInvoice(req.params.number);
  if (!invoice) return res.status(404).json({ error: 'invoice not found' });
  const lines = await repo.linesForInvoice(invoice.id);
  res.json({ ...invoice, lines });
});

module.exports = router;
