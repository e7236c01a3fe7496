'use strict';

const { pool } = require('../db/pool');

async function findInvoice(number) {
  const { rows } = await pool.query(
    `SELECT i.id, i.number, i.issued_on, i.due_on, i.currency, i.status,
            c.name AS customer_name, c.country, c.vat_id
     FROM invoices i JOIN customers c ON c.id = i.customer_id
     WHERE i.number = $1`,
    [number]
  );
  return rows[0] || null;
}

async function linesForInvoice(invoiceId) {
  const { rows } = await pool.query(
    'SELECT sku, description, quantity, unit_price, vat_rate FROM invoice_lines WHERE invoice_id = $1 ORDER BY position',
    [invoiceId]
  );
  return rows;
}

async function linesIssuedBetween(from, to) {
  const { rows } = await pool.query(
    `SELECT i.number, i.issued_on, i.due_on, i.currency, i.status,
            c.name AS customer_name, c.country, c.vat_id,
            l.sku, l.description, l.quantity, l.unit_price, l.vat_rate
     FROM invoices i
     JOIN customers c ON c.id = i.customer_id
     JOIN invoice_lines l ON l.invoice_id = i.id
     WHERE i.issued_on >= $1 AND i.issued_on < $2
     ORDER BY i.issued_on, i.number, l.position`,
    [from, to]
  );
  return rows;
}

module.exports = { findInvoice, linesForInvoice, linesIssuedBetween };
