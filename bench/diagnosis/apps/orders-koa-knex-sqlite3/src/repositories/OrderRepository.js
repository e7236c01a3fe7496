'use strict';

const COLUMNS = [
  'id', 'reference', 'customer_id', 'status', 'total_cents', 'currency',
  'item_count', 'shipping_city', 'placed_at', 'updated_at',
];

class OrderRepository {
  constructor(knex) {
    this.knex = knex;
  }

  async findAll() {
    return this.knex('orders').select(COLUMNS).orderBy('placed_at', 'desc');
  }

  async findById(id) {
    return this.knex('orders').select(COLUMNS).where({ id }).first();
  }

  async findByReference(reference) {
    return this.knex('orders').select(COLUMNS).where({ reference }).first();
  }

  async updateStatus(id, status, now = new Date().toISOString()) {
    const count = await this.knex('orders').where({ id }).update({ status, updated_at: now });
    return count > 0;
  }

  async countByStatus() {
    return this.knex('orders').select('status').count({ count: '*' }).groupBy('status');
  }
}

module.exports = { OrderRepository };
