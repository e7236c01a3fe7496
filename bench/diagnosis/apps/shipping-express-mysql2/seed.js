'use strict';

const mysql = require('mysql2/promise');
const { config } = require('./src/db');

const ORDER_COUNT = 20000;
const ITEMS_PER_ORDER = 3;
const BATCH = 1000;

const CITIES = [
  ['Lyon', 'FR'], ['Hamburg', 'DE'], ['Rotterdam', 'NL'], ['Porto', 'PT'], ['Milan', 'IT'],
  ['Gdansk', 'PL'], ['Ghent', 'BE'], ['Bilbao', 'ES'], ['Graz', 'AT'], ['Aarhus', 'DK'],
];
const CARRIERS = ['DHL', 'UPS', 'GLS', 'DPD', 'PostNL'];
const STATUSES = ['pending', 'packed', 'shipped', 'delivered', 'returned'];
const PRODUCTS = [
  ['BOX-S', 'Shipping box small', 120], ['BOX-M', 'Shipping box medium', 180],
  ['TAPE-48', 'Packing tape 48mm', 350], ['LBL-A6', 'Thermal labels A6 x500', 1990],
  ['BUB-10', 'Bubble wrap 10m', 890], ['PAL-EU', 'EUR pallet', 2400],
  ['STR-15', 'Stretch film 15mu', 1250], ['ENV-C4', 'Padded envelope C4', 45],
];

async function main() {
  const admin = await mysql.createConnection({ host: config.host, port: config.port, user: config.user, password: config.password });
  await admin.query(`CREATE DATABASE IF NOT EXISTS \`${config.database}\``);
  await admin.end();

  const conn = await mysql.createConnection({ ...config, multipleStatements: true });
  const [[existing]] = await conn.query(
    "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = ? AND table_name IN ('orders', 'order_items')",
    [config.database]
  );
  if (existing.n === 2) {
    const [[{ n }]] = await conn.query('SELECT COUNT(*) AS n FROM orders');
    const [[{ m }]] = await conn.query('SELECT COUNT(*) AS m FROM order_items');
    if (n === ORDER_COUNT && m === ORDER_COUNT * ITEMS_PER_ORDER) {
      console.log(`seed: already present (${n} orders, ${m} items)`);
      await conn.end();
      return;
    }
  }

  await conn.query(`
    DROP TABLE IF EXISTS order_items;
    DROP TABLE IF EXISTS orders;
    CREATE TABLE orders (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      reference VARCHAR(20) NOT NULL UNIQUE,
      customer_name VARCHAR(120) NOT NULL,
      customer_email VARCHAR(160) NOT NULL,
      status VARCHAR(16) NOT NULL,
      carrier VARCHAR(16) NOT NULL,
      tracking_number VARCHAR(32) NULL,
      ship_to_city VARCHAR(64) NOT NULL,
      ship_to_country CHAR(2) NOT NULL,
      total_cents INT UNSIGNED NOT NULL,
      created_at DATETIME NOT NULL,
      shipped_at DATETIME NULL,
      KEY idx_orders_created (created_at),
      KEY idx_orders_status_created (status, created_at)
    ) ENGINE=InnoDB;
    CREATE TABLE order_items (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      order_id INT UNSIGNED NOT NULL,
      sku VARCHAR(32) NOT NULL,
      description VARCHAR(200) NOT NULL,
      quantity SMALLINT UNSIGNED NOT NULL,
      unit_price_cents INT UNSIGNED NOT NULL,
      weight_grams INT UNSIGNED NOT NULL,
      KEY idx_order_items_order (order_id),
      CONSTRAINT fk_order_items_order FOREIGN KEY (order_id) REFERENCES orders (id)
    ) ENGINE=InnoDB;
  `);

  const start = Date.parse('2024-01-01T00:00:00Z');
  await conn.beginTransaction();
  for (let base = 1; base <= ORDER_COUNT; base += BATCH) {
    const orderRows = [];
    const itemRows = [];
    for (let id = base; id < base + BATCH && id <= ORDER_COUNT; id++) {
      const [city, country] = CITIES[id % CITIES.length];
      const status = STATUSES[id % STATUSES.length];
      const created = new Date(start + id * 37 * 60 * 1000);
      let total = 0;
      for (let k = 0; k < ITEMS_PER_ORDER; k++) {
        const [sku, desc, price] = PRODUCTS[(id * 3 + k) % PRODUCTS.length];
        const qty = 1 + ((id + k) % 5);
        total += qty * price;
        itemRows.push([id, sku, desc, qty, price, 100 + ((id * 7 + k * 13) % 4000)]);
      }
      orderRows.push([
        id,
        `SHP-${String(id).padStart(7, '0')}`,
        `Customer ${id}`,
        `customer${id}@example.com`,
        status,
        CARRIERS[id % CARRIERS.length],
        status === 'pending' || status === 'packed' ? null : `TRK${(id * 7919).toString(36).toUpperCase()}`,
        city,
        country,
        total,
        created,
        status === 'pending' || status === 'packed' ? null : new Date(created.getTime() + 86400000),
      ]);
    }
    await conn.query(
      'INSERT INTO orders (id, reference, customer_name, customer_email, status, carrier, tracking_number, ship_to_city, ship_to_country, total_cents, created_at, shipped_at) VALUES ?',
      [orderRows]
    );
    await conn.query(
      'INSERT INTO order_items (order_id, sku, description, quantity, unit_price_cents, weight_grams) VALUES ?',
      [itemRows]
    );
  }
  await conn.commit();
  await conn.end();
  console.log(`seed: inserted ${ORDER_COUNT} orders, ${ORDER_COUNT * ITEMS_PER_ORDER} items`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
