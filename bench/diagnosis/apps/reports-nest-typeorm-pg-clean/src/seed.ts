import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DATABASE_NAME, postgresConfig, typeormOptions } from './database/typeorm.config';

const CUSTOMERS = 50_000;

async function ensureDatabase(): Promise<void> {
  const client = new Client({ ...postgresConfig, user: postgresConfig.username, database: 'test' });
  await client.connect();
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
  if (!rowCount) {
    await client.query(`CREATE DATABASE "${DATABASE_NAME}"`);
  }
  await client.end();
}

async function main(): Promise<void> {
  await ensureDatabase();
  const dataSource = await new DataSource({ ...typeormOptions(), logging: false }).initialize();
  try {
    const [{ present }] = await dataSource.query("SELECT to_regclass('public.customers') IS NOT NULL AS present");
    if (present) {
      const [{ n }] = await dataSource.query('SELECT count(*)::int AS n FROM customers');
      if (n === CUSTOMERS) {
        console.log('seed: already present');
        return;
      }
    }
    await dataSource.synchronize(true);
    await dataSource.query(
      `INSERT INTO customers (external_ref, company_name, contact_name, email, phone, address_line, city, postal_code,
                              country_code, segment, lifetime_value_cents, created_at)
       SELECT 'CUS-' || lpad(g::text, 8, '0'),
              (ARRAY['Blue Harbor', 'Kestrel', 'Oakline', 'Vantage', 'Meridian', 'Northgate'])[1 + g % 6] || ' ' ||
                (ARRAY['Logistics', 'Foods', 'Labs', 'Retail', 'Systems'])[1 + g % 5] || ' ' || g,
              (ARRAY['Maria', 'Tom', 'Aisha', 'Lukas', 'Sofia', 'Kenji'])[1 + g % 6] || ' ' ||
                (ARRAY['Jensen', 'Costa', 'Ahmed', 'Becker', 'Ricci', 'Sato'])[1 + (g / 6) % 6],
              'billing' || g || '@customer.example',
              CASE WHEN g % 9 = 0 THEN NULL ELSE '+44 20 7946 ' || lpad((g % 10000)::text, 4, '0') END,
              (1 + g % 240) || ' ' || (ARRAY['High Street', 'Station Road', 'Mill Lane', 'Church Road'])[1 + g % 4],
              (ARRAY['London', 'Leeds', 'Bristol', 'Glasgow', 'Cardiff', 'Belfast'])[1 + g % 6],
              'LS' || (g % 30) || ' ' || (g % 9) || 'AB',
              'GB',
              (ARRAY['smb', 'smb', 'mid-market', 'enterprise', 'public'])[1 + g % 5],
              (g::bigint * 7919) % 50000000,
              now() - ((g % 2000) || ' days')::interval
       FROM generate_series(1, $1) AS g`,
      [CUSTOMERS],
    );
    await dataSource.query('ANALYZE customers');
    console.log(`seed: ${CUSTOMERS} customers`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
