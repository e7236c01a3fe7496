'use strict';

const { pool } = require('../db');

const ORDER_COLUMNS = `
  o.id, o.reference, o.customer_name, o.customer_email, o.status,
  o.carrier, o.tracking_number, o.ship_to_city, o.ship_to_country,
  o.total_cents, o.created_at, o.shipped_at`;

async function listOrders({ limit, offset, status }) {
  const params = [];
  let where = '';
  if (status) {
    where = 'WHERE o.status = ?';
    params.push(status);
  }
  params.push(limit, offset);
  const [rows] = await pool.query(
    `SELECT ${ORDER_COLUMNS} FROM orders o ${where} ORDER BY o.created_at DESC, o.id DESC LIMIT ? OFFSET ?`,
    params
  );
  return rows;
}

async function countOrders({ status }) {
  const [rows] = status
    ? await pool.query('SELECT COUNT(*) AS n FROM orders WHERE status = ?', [status])
    : await pool.query('SELECT COUNT(*) AS n FROM orders');
  return rows[0].n;
}

async function findOrderById(id) {
  const [rows] = await pool.query(`SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.id = ?`, [id]);
  return rows[0] || null;
}

async function findItemsForOrder(orderId) {
  const [rows] = await pool.query(
    'SELECT id, order_id, sku, description, quantity, unit_price_cents, weight_grams FROM order_items WHERE order_id = ? ORDER BY id',
    [orderId]
  );
  return rows;
}

async function updateStatus(id, status, trackingNumber) {
  const [result] = await pool.query(
    'UPDATE orders SET status = ?, tracking_number = COALESCE(?, tracking_number), shipped_at = IF(? = \'shipped\', NOW(), shipped_at) WHERE id = ?',
    [status, trackingNumber || null, status, id]
  );
  return result.affectedRows > 0;
}

module.exports = { listOrders, countOrders, findOrderById, findItemsForOrder, updateStatus, pool };
