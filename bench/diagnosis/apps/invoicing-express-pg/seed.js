'use strict';

const { pool, ensureDatabase } = require('./db/pool');

// Invoice lines per month; October 2026 is the month finance exports most.
const LINES_PER_INVOICE = 6;
const INVOICES_PER_MONTH = Number(process.env.SEED_INVOICES_PER_MONTH || 200);

async function main() {
  await ensureDatabase();
  await pool.query(`
    CREATE TABLE IF NOT EXISTS customers (
      id serial PRIMARY KEY,
      name text NOT NULL,
      country char(2) NOT NULL,
      vat_id text
    );
    CREATE TABLE IF NOT EXISTS invoices (
      id serial PRIMARY KEY,
      number text NOT NULL UNIQUE,
      customer_id integer NOT NULL REFERENCES customers(id),
      issued_on date NOT NULL,
      due_on date NOT NULL,
      currency char(3) NOT NULL DEFAULT 'EUR',
      status text NOT NULL
    );
    CREATE INDEX IF NOT EXISTS invoices_issued_on_idx ON invoices (issued_on);
    CREATE TABLE IF NOT EXISTS invoice_lines (
      id serial PRIMARY KEY,
      invoice_id integer NOT NULL REFERENCES invoices(id),
      position integer NOT NULL,
      sku text NOT NULL,
      description text NOT NULL,
      quantity numeric(10,2) NOT NULL,
      unit_price numeric(12,2) NOT NULL,
      vat_rate numeric(4,3) NOT NULL
    );
    CREATE INDEX IF NOT EXISTS invoice_lines_invoice_idx ON invoice_lines (invoice_id, position);
  `);
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM invoices');
  if (rows[0].n > 0) {
    console.log(`already seeded (${rows[0].n} invoices)`);
    return pool.end();
  }

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`
      INSERT INTO customers (name, country, vat_id)
      SELECT 'Customer ' || g || CASE WHEN g % 7 = 0 THEN ' GmbH' WHEN g % 5 = 0 THEN ' "Nord"' ELSE ' Ltd' END,
             (ARRAY['DE','FR','NL','AT','IT','ES','BE'])[1 + g % 7],
             CASE WHEN g % 4 = 0 THEN NULL ELSE 'EU' || lpad((g * 7919)::text, 9, '0') END
      FROM generate_series(1, 400) g`);
    // 12 months: Jan 2026 .. Dec 2026
    await client.query(
      `INSERT INTO invoices (number, customer_id, issued_on, due_on, status)
       SELECT 'INV-' || to_char(m, 'YYYYMM') || '-' || lpad(g::text, 5, '0'),
              1 + (g * 31 + extract(month from m)::int) % 400,
              (m + ((g % 28) || ' days')::interval)::date,
              (m + ((g % 28 + 30) || ' days')::interval)::date,
              (ARRAY['paid','open','overdue','paid'])[1 + g % 4]
       FROM generate_series('2026-01-01'::date, '2026-12-01'::date, interval '1 month') m,
            generate_series(1, $1::int) g`,
      [INVOICES_PER_MONTH]
    );
    await client.query(
      `INSERT INTO invoice_lines (invoice_id, position, sku, description, quantity, unit_price, vat_rate)
       SELECT i.id, p,
              'SKU-' || lpad(((i.id * 13 + p * 7) % 900)::text, 4, '0'),
              (ARRAY['Consulting hours','Licence; annual','Support plan','Hardware "Pro" kit','Training day','Hosting'])[1 + (i.id + p) % 6],
              1 + (i.id + p) % 12,
              round((20 + ((i.id * 37 + p * 11) % 1800))::numeric / 1.7, 2),
              (ARRAY[0.19, 0.07, 0.21, 0.2])[1 + (i.id + p) % 4]
       FROM invoices i, generate_series(1, $1::int) p`,
      [LINES_PER_INVOICE]
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
  await pool.query('ANALYZE');
  console.log(`seeded ${INVOICES_PER_MONTH * 12} invoices with ${LINES_PER_INVOICE} lines each`);
  await pool.end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
