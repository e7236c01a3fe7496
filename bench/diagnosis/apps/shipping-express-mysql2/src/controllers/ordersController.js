'use strict';

const orders = require('../repositories/orderRepository');

const STATUSES = ['pending', 'packed', 'shipped', 'delivered', 'returned'];

function parsePaging(query) {
  const limit = Math.min(Math.max(parseInt(query.limit, 10) || 50, 1), 500);
  const offset = Math.max(parseInt(query.offset, 10) || 0, 0);
  return { limit, offset };
}

function toDto(order, items) {
  return {
    id: order.id,
    reference: order.reference,
    status: order.status,
    customer: { name: order.customer_name, email: order.customer_email },
    shipTo: { city: order.ship_to_city, country: order.ship_to_country },
    carrier: order.carrier,
    trackingNumber: order.tracking_number,
    totalCents: order.total_cents,
    createdAt: order.created_at,
    shippedAt: order.shipped_at,
    items: items.map((it) => ({
      id: it.id,
      sku: it.sku,
      description: it.description,
      quantity: it.quantity,
      unitPriceCents: it.unit_price_cents,
      weightGrams: it.weight_grams,
    })),
  };
}

async function list(req, res) {
  const { limit, offset } = parsePaging(req.query);
  const status = STATUSES.includes(req.query.status) ? req.query.status : undefined;

  const [rows, total] = await Promise.all([
    orders.listOrders({ limit, offset, status }),
    orders.countOrders({ status }),
  ]);
  const itemLists = await Promise.all(rows.map((o) => orders.findItemsForOrder(o.id)));

  res.json({
    total,
    limit,
    offset,
    orders: rows.map((o, i) => toDto(o, itemLists[i])),
  });
}

async function show(req, res) {
  const id = Number(req.params.id);
  const order = Number.isInteger(id) ? await orders.findOrderById(id) : null;
  if (!order) {
    return res.status(404).json({ error: 'order not found' });
  }
  const items = await orders.findItemsForOrder(order.id);
  res.json(toDto(order, items));
}

async function updateStatus(req, res) {
  const id = Number(req.params.id);
  const { status, trackingNumber } = req.body || {};
  if (!STATUSES.includes(status)) {
    return res.status(400).json({ error: `status must be one of ${STATUSES.join(', ')}` });
  }
  const ok = await orders.updateStatus(id, status, trackingNumber);
  if (!ok) {
    return res.status(404).json({ error: 'order not found' });
  }
  res.status(204).end();
}

module.exports = { list, show, updateStatus };
