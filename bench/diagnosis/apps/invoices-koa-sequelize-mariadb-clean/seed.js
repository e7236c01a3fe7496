'use strict';

const mysql = require('mysql2/promise');
const { sequelize, config, Customer, Invoice } = require('./src/models');

const CUSTOMER_COUNT = 5000;
const INVOICE_COUNT = 50000;
const BATCH_SIZE = 5000;
const COUNTRIES = ['FR', 'DE', 'NL', 'BE', 'ES', 'IT', 'AT', 'IE', 'PT', 'FI'];
const STATUS_CYCLE = ['paid', 'paid', 'open', 'paid', 'draft', 'paid', 'open', 'void', 'paid', 'open'];
const DAY = 24 * 3600 * 1000;

async function ensureDatabase() {
  const conn = await mysql.createConnection({
    host: config.host, port: config.port, user: config.username, password: config.password,
  });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${config.database}\` CHARACTER SET utf8mb4`);
  } finally {
    await conn.end();
  }
}

function buildInvoice(n) {
  const status = STATUS_CYCLE[n % STATUS_CYCLE.length];
  const issuedAt = new Date(Date.UTC(2023, 0, 1) + n * 15 * 60 * 1000);
  const subtotalCents = 5000 + ((n * 7919) % 250000);
  return {
    number: `INV-${String(n).padStart(7, '0')}`,
    customerId: 1 + ((n * 31) % CUSTOMER_COUNT),
    status,
    currency: 'EUR',
    subtotalCents,
    taxCents: Math.round(subtotalCents * 0.2),
    issuedAt,
    dueAt: new Date(issuedAt.getTime() + 30 * DAY),
    paidAt: status === 'paid' ? new Date(issuedAt.getTime() + (5 + (n % 20)) * DAY) : null,
    notes: n % 11 === 0 ? 'Payment by bank transfer, reference the invoice number.' : null,
  };
}

async function main() {
  await ensureDatabase();
  await sequelize.sync();
  if ((await Invoice.count()) >= INVOICE_COUNT) {
    console.log('invoices already seeded');
    return;
  }
  await sequelize.transaction(async (transaction) => {
    await Invoice.destroy({ where: {}, transaction });
    await Customer.destroy({ where: {}, transaction });
    await Customer.bulkCreate(
      Array.from({ length: CUSTOMER_COUNT }, (_, i) => ({
        id: i + 1,
        name: `${['Atelier', 'Studio', 'Bakkerij', 'Garage', 'Cabinet'][i % 5]} ${['Nord', 'Sud', 'Central', 'Ouest'][i % 4]} ${i + 1}`,
        email: `billing${i + 1}@customer.example`,
        vatNumber: i % 3 === 0 ? null : `EU${100000000 + i}`,
        country: COUNTRIES[i % COUNTRIES.length],
      })),
      { transaction },
    );
    for (let start = 1; start <= INVOICE_COUNT; start += BATCH_SIZE) {
      const rows = [];
      for (let n = start; n < start + BATCH_SIZE && n <= INVOICE_COUNT; n++) rows.push(buildInvoice(n));
      await Invoice.bulkCreate(rows, { transaction });
    }
  });
  await sequelize.query('ANALYZE TABLE customers, invoices');
  console.log(`seeded ${CUSTOMER_COUNT} customers and ${INVOICE_COUNT} invoices`);
}

main()
  .then(() => sequelize.close())
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
