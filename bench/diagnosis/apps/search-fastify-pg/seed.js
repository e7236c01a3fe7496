import pg from 'pg';
import { connectionConfig, DATABASE } from './src/db.js';

const PRODUCTS = 600_000;
const BRANDS = 150;

const admin = new pg.Client(connectionConfig('test'));
await admin.connect();
const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
if (rowCount === 0) await admin.query(`CREATE DATABASE "${DATABASE}"`);
await admin.end();

const client = new pg.Client(connectionConfig());
await client.connect();
try {
  const { rows } = await client.query("SELECT to_regclass('public.products') IS NOT NULL AS present");
  if (rows[0].present) {
    const { rows: count } = await client.query('SELECT count(*)::int AS n FROM products');
    if (count[0].n === PRODUCTS) {
      console.log('seed: already present');
      process.exit(0);
    }
  }

  await client.query('BEGIN');
  await client.query('DROP TABLE IF EXISTS products');
  await client.query(`
    CREATE TABLE products (
      id bigserial PRIMARY KEY,
      sku text NOT NULL,
      name text NOT NULL,
      brand text NOT NULL,
      category text NOT NULL,
      description text NOT NULL,
      price_cents integer NOT NULL,
      rating numeric(2, 1) NOT NULL,
      stock integer NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  await client.query(
    `INSERT INTO products (sku, name, brand, category, description, price_cents, rating, stock, updated_at)
     SELECT 'SKU-' || lpad(g::text, 7, '0'),
            (ARRAY['Cordless drill', 'Desk lamp', 'Trail shoe', 'Water bottle', 'Backpack', 'Headphones',
                   'Coffee grinder', 'Yoga mat', 'Rain jacket', 'Cast iron pan'])[1 + g % 10] || ' ' || (g % 997),
            CASE WHEN g % $2 = 0 THEN 'acme' ELSE 'brand' || (g % $2) END,
            (ARRAY['tools', 'home', 'outdoor', 'kitchen', 'audio', 'fitness'])[1 + g % 6],
            'Everyday ' || md5(g::text) || ' built to last, backed by a two-year warranty.',
            199 + (g::bigint * 7919) % 49801,
            round(((g * 31) % 50) / 10.0 + 0.5, 1),
            (g * 13) % 120,
            now() - ((g % 10000) || ' minutes')::interval
     FROM generate_series(1, $1) AS g`,
    [PRODUCTS, BRANDS]
  );
  await client.query('COMMIT');
  await client.query('VACUUM ANALYZE products');
  console.log(`seed: ${PRODUCTS} products`);
} catch (err) {
  await client.query('ROLLBACK').catch(() => {});
  throw err;
} finally {
  await client.end();
}
