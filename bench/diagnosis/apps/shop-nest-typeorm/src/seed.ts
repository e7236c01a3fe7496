import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { databaseName, dataSourceOptions } from './database/database.config';
import { Product } from './products/product.entity';

const PRODUCT_COUNT = 50000;
const BATCH_SIZE = 10000;

const categories = ['kitchen', 'garden', 'office', 'toys', 'audio', 'lighting', 'bathroom', 'outdoor', 'sports', 'pets'];
const brands = ['Nordlys', 'Acme', 'Brightline', 'Kettle & Co', 'Umbra', 'Fieldcraft', 'Orbis', 'Tallow'];
const nouns = ['lamp', 'kettle', 'chair', 'speaker', 'planter', 'notebook', 'towel', 'ball', 'bowl', 'lantern'];
const adjectives = ['compact', 'classic', 'deluxe', 'portable', 'recycled', 'oak', 'matte', 'wireless'];

async function ensureDatabase() {
  const admin = new Client({
    host: process.env.PGHOST || '127.0.0.1',
    port: Number(process.env.PGPORT || 5432),
    user: process.env.PGUSER || 'postgres',
    database: 'test',
  });
  await admin.connect();
  try {
    const res = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName]);
    if (res.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${databaseName}`);
    }
  } finally {
    await admin.end();
  }
}

function buildProduct(n: number): Partial<Product> {
  const adjective = adjectives[n % adjectives.length];
  const noun = nouns[Math.floor(n / adjectives.length) % nouns.length];
  return {
    sku: `SKU-${String(n).padStart(6, '0')}`,
    name: `${adjective[0].toUpperCase()}${adjective.slice(1)} ${noun} ${n}`,
    description: `The ${adjective} ${noun} is built for everyday use. `.repeat(8),
    category: categories[n % categories.length],
    brand: brands[n % brands.length],
    priceCents: 499 + ((n * 37) % 20000),
    currency: 'EUR',
    stock: (n * 13) % 250,
    active: n % 17 !== 0,
  };
}

async function main() {
  await ensureDatabase();
  const dataSource = await new DataSource({ ...dataSourceOptions, synchronize: true }).initialize();
  try {
    const repo = dataSource.getRepository(Product);
    const existing = await repo.count();
    if (existing >= PRODUCT_COUNT) {
      console.log(`products already seeded (${existing})`);
      return;
    }
    await dataSource.transaction(async (manager) => {
      await manager.query('TRUNCATE products RESTART IDENTITY');
      for (let start = 1; start <= PRODUCT_COUNT; start += BATCH_SIZE) {
        const batch: Partial<Product>[] = [];
        for (let n = start; n < start + BATCH_SIZE && n <= PRODUCT_COUNT; n++) {
          batch.push(buildProduct(n));
        }
        await manager.query(
          `INSERT INTO products (sku, name, description, category, brand, price_cents, currency, stock, active)
           SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::text[], $4::varchar[], $5::varchar[],
                                $6::int[], $7::varchar[], $8::int[], $9::bool[])`,
          [
            batch.map((p) => p.sku),
            batch.map((p) => p.name),
            batch.map((p) => p.description),
            batch.map((p) => p.category),
            batch.map((p) => p.brand),
            batch.map((p) => p.priceCents),
            batch.map((p) => p.currency),
            batch.map((p) => p.stock),
            batch.map((p) => p.active),
          ],
        );
      }
    });
    await dataSource.query('ANALYZE products');
    console.log(`seeded ${PRODUCT_COUNT} products`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
