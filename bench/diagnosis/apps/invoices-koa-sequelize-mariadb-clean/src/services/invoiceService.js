'use strict';

const { Invoice, Customer } = require('../models');

const STATUSES = ['draft', 'open', 'paid', 'void'];

function toDto(invoice) {
  const subtotal = invoice.subtotalCents / 100;
  const tax = invoice.taxCents / 100;
  return {
    id: invoice.id,
    number: invoice.number,
    status: invoice.status,
    currency: invoice.currency,
    subtotal,
    tax,
    total: Math.round((subtotal + tax) * 100) / 100,
    issuedAt: invoice.issuedAt,
    dueAt: invoice.dueAt,
    paidAt: invoice.paidAt,
    customer: invoice.customer
      ? { id: invoice.customer.id, name: invoice.customer.name, email: invoice.customer.email, country: invoice.customer.country }
      : undefined,
  };
}

async function listInvoices({ status, limit, offset }) {
  const invoices = await Invoice.findAll({
    where: { status },
    attributes: ['id', 'number', 'status', 'currency', 'subtotalCents', 'taxCents', 'issuedAt', 'dueAt', 'paidAt'],
    include: [{ model: Customer, as: 'customer', attributes: ['id', 'name', 'email', 'country'] }],
    order: [['issuedAt', 'DESC'], ['id', 'DESC']],
    limit,
    offset,
  });
  return invoices.map(toDto);
}

async function getInvoice(id) {
  const invoice = await Invoice.findByPk(id, { include: [{ model: Customer, as: 'customer' }] });
  return invoice ? { ...toDto(invoice), notes: invoice.notes } : null;
}

async function markPaid(id) {
  const invoice = await Invoice.findByPk(id);
  if (!invoice) return null;
  if (invoice.status !== 'open') {
    const err = new Error(`invoice ${invoice.number} is ${invoice.status}`);
    err.status = 409;
    throw err;
  }
  invoice.status = 'paid';
  invoice.paidAt = new Date();
  await invoice.save();
  return getInvoice(id);
}

module.exports = { STATUSES, listInvoices, getInvoice, markPaid };
