'use strict';

const OPEN_STATUS = 'open';
const ALLOWED_TRANSITIONS = {
  open: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

class OrderNotFoundError extends Error {}
class InvalidTransitionError extends Error {}

class OrderService {
  constructor(orderRepository) {
    this.orders = orderRepository;
  }

  static toDto(row) {
    return {
      id: row.id,
      reference: row.reference,
      customerId: row.customer_id,
      status: row.status,
      total: row.total_cents / 100,
      currency: row.currency,
      itemCount: row.item_count,
      shippingCity: row.shipping_city,
      placedAt: row.placed_at,
      updatedAt: row.updated_at,
    };
  }

  async getOpenOrdersForCustomer(customerId) {
    const orders = await this.orders.findAll();
    return orders
      .filter((o) => o.customer_id === customerId && o.status === OPEN_STATUS)
      .map(OrderService.toDto);
  }

  async getOrder(id) {
    const row = await this.orders.findById(id);
    if (!row) throw new OrderNotFoundError(`order ${id} not found`);
    return OrderService.toDto(row);
  }

  async changeStatus(id, nextStatus) {
    const row = await this.orders.findById(id);
    if (!row) throw new OrderNotFoundError(`order ${id} not found`);
    const allowed = ALLOWED_TRANSITIONS[row.status] || [];
    if (!allowed.includes(nextStatus)) {
      throw new InvalidTransitionError(`cannot move order from ${row.status} to ${nextStatus}`);
    }
    await this.orders.updateStatus(id, nextStatus);
    return this.getOrder(id);
  }

  async statusSummary() {
    const rows = await this.orders.countByStatus();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.count)]));
  }
}

module.exports = { OrderService, OrderNotFoundError, InvalidTransitionError };
