'use strict';

const repo = require('../repositories/invoiceRepository');
const { toCsvRow } = require('../lib/csv');

const COLUMNS = [
  { key: 'number', header: 'Invoice', type: 'text' },
  { key: 'issued_on', header: 'Issued', type: 'date' },
  { key: 'due_on', header: 'Due', type: 'date' },
  { key: 'status', header: 'Status', type: 'text' },
  { key: 'customer_name', header: 'Customer', type: 'text' },
  { key: 'country', header: 'Country', type: 'text' },
  { key: 'vat_id', header: 'VAT ID', type: 'text' },
  { key: 'sku', header: 'SKU', type: 'text' },
  { key: 'description', header: 'Description', type: 'text' },
  { key: 'quantity', header: 'Qty', type: 'decimal' },
  { key: 'unit_price', header: 'Unit price', type: 'money' },
  { key: 'net', header: 'Net', type: 'money' },
  { key: 'vat_rate', header: 'VAT rate', type: 'percent' },
  { key: 'vat', header: 'VAT', type: 'money' },
  { key: 'gross', header: 'Gross', type: 'money' },
  { key: 'currency', header: 'Currency', type: 'text' },
];

function monthRange(month) {
  const match = /^(\d{4})-(\d{2})$/.exec(month || '');
  if (!match) return null;
  const year = Number(match[1]);
  const mon = Number(match[2]);
  if (mon < 1 || mon > 12) return null;
  const from = `${match[1]}-${match[2]}-01`;
  const next = mon === 12 ? `${year + 1}-01-01` : `${year}-${String(mon + 1).padStart(2, '0')}-01`;
  return { from, to: next };
}

function withTotals(line) {
  const net = Math.round(Number(line.quantity) * Number(line.unit_price) * 100) / 100;
  const vat = Math.round(net * Number(line.vat_rate) * 100) / 100;
  return { ...line, net, vat, gross: Math.round((net + vat) * 100) / 100 };
}

async function exportMonth(month) {
  const range = monthRange(month);
  if (!range) {
    const err = new Error('month must look like YYYY-MM');
    err.status = 400;
    throw err;
  }
  const lines = await repo.linesIssuedBetween(range.from, range.to);
  const header = COLUMNS.map((c) => c.header).join(';');
  const body = lines.map((line) => toCsvRow(withTotals(line), COLUMNS));
  return { filename: `invoices-${month}.csv`, csv: [header, ...body].join('\r\n') + '\r\n', rows: lines.length };
}

module.exports = { exportMonth, monthRange };
