'use strict';

const { createKnex } = require('./src/db/knex');

const ORDER_COUNT = 60000;
const CUSTOMER_COUNT = 12000;
const BATCH_SIZE = 500;
const CLOSED_STATUSES = ['delivered', 'shipped', 'delivered', 'cancelled'];
const CITIES = ['Lyon', 'Porto', 'Gdansk', 'Leipzig', 'Bologna', 'Utrecht', 'Aarhus', 'Ghent', 'Bilbao', 'Graz'];

async function createSchema(knex) {
  if (!(await knex.schema.hasTable('orders'))) {
    await knex.schema.createTable('orders', (t) => {
      t.increments('id');
      t.string('reference', 20).notNullable().unique();
      t.integer('customer_id').notNullable();
      t.string('status', 16).notNullable();
      t.integer('total_cents').notNullable();
      t.string('currency', 3).notNullable().defaultTo('EUR');
      t.integer('item_count').notNullable();
      t.string('shipping_city', 80).notNullable();
      t.text('notes');
      t.string('placed_at', 30).notNullable();
      t.string('updated_at', 30).notNullable();
      t.index(['customer_id', 'status'], 'orders_customer_status_idx');
      t.index(['placed_at'], 'orders_placed_at_idx');
    });
  }
}

function buildOrder(n) {
  const customerId = 1 + ((n - 1) % CUSTOMER_COUNT);
  const round = Math.floor((n - 1) / CUSTOMER_COUNT);
  const openOrders = 2 + (customerId % 3);
  const status = (round + customerId) % 5 < openOrders ? 'open' : CLOSED_STATUSES[n % CLOSED_STATUSES.length];
  const placedAt = new Date(Date.UTC(2024, 0, 1) + n * 7 * 60 * 1000).toISOString();
  return {
    reference: `ORD-${String(n).padStart(7, '0')}`,
    customer_id: customerId,
    status,
    total_cents: 1500 + ((n * 7919) % 45000),
    currency: 'EUR',
    item_count: 1 + (n % 6),
    shipping_city: CITIES[customerId % CITIES.length],
    notes: n % 9 === 0 ? 'Leave the parcel with the neighbour if nobody answers.' : null,
    placed_at: placedAt,
    updated_at: placedAt,
  };
}

async function main() {
  const knex = createKnex();
  try {
    await createSchema(knex);
    const [{ count }] = await knex('orders').count({ count: '*' });
    if (Number(count) >= ORDER_COUNT) {
      console.log(`orders already seeded (${count})`);
      return;
    }
    await knex.transaction(async (trx) => {
      await trx('orders').del();
      for (let start = 1; start <= ORDER_COUNT; start += BATCH_SIZE) {
        const rows = [];
        for (let n = start; n < start + BATCH_SIZE && n <= ORDER_COUNT; n++) rows.push(buildOrder(n));
        await trx('orders').insert(rows);
      }
    });
    await knex.raw('ANALYZE');
    console.log(`seeded ${ORDER_COUNT} orders`);
  } finally {
    await knex.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
