import 'reflect-metadata';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { DATABASE_NAME, dataSourceOptions } from './database/data-source';

const AGENTS = 25;
const CUSTOMERS = 1_000;
const TICKETS = 8_000;

async function main(): Promise<void> {
  const admin = await createConnection({
    host: process.env.DB_HOST ?? '127.0.0.1',
    port: Number(process.env.DB_PORT ?? 3306),
    user: process.env.DB_USER ?? 'root',
    password: process.env.DB_PASSWORD ?? '',
  });
  await admin.query(`CREATE DATABASE IF NOT EXISTS \`${DATABASE_NAME}\``);
  await admin.end();

  const dataSource = await new DataSource(dataSourceOptions({ logging: false })).initialize();
  try {
    const [{ present }] = await dataSource.query(
      "SELECT COUNT(*) AS present FROM information_schema.tables WHERE table_schema = ? AND table_name = 'tickets'",
      [DATABASE_NAME],
    );
    if (Number(present) > 0) {
      const [{ n }] = await dataSource.query('SELECT COUNT(*) AS n FROM tickets');
      if (Number(n) === TICKETS) {
        console.log('seed: already present');
        return;
      }
    }
    await dataSource.synchronize(true);
    await dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO organization_settings (id, name, timezone, first_response_hours, urgent_response_hours, ticket_prefix, show_customer_email)
         VALUES (1, 'Northwind Support', 'Europe/Amsterdam', 24, 4, 'NW', 1)`,
      );
      await manager.query(
        `INSERT INTO agents (name, email, team)
         SELECT CONCAT('Agent ', seq), CONCAT('agent', seq, '@northwind.test'), ELT(1 + seq % 3, 'Tier 1', 'Tier 2', 'Billing')
         FROM seq_1_to_${AGENTS}`,
      );
      await manager.query(
        `INSERT INTO customers (name, email, company)
         SELECT CONCAT('Customer ', seq), CONCAT('customer', seq, '@mail.test'), IF(seq % 4 = 0, NULL, CONCAT('Company ', seq % 200))
         FROM seq_1_to_${CUSTOMERS}`,
      );
      await manager.query(
        `INSERT INTO tickets (subject, status, priority, channel, requester_id, assignee_id, first_response_at, created_at, updated_at)
         SELECT CONCAT(ELT(1 + seq % 5, 'Cannot log in', 'Invoice is wrong', 'Export fails', 'Feature request', 'App crashes on start'), ' #', seq),
                ELT(1 + seq % 5, 'new', 'open', 'pending', 'solved', 'closed'),
                ELT(1 + seq % 7, 'low', 'normal', 'normal', 'high', 'normal', 'urgent', 'low'),
                ELT(1 + seq % 3, 'email', 'chat', 'web'),
                1 + (seq * 31) % ${CUSTOMERS},
                IF(seq % 5 = 0, NULL, 1 + seq % ${AGENTS}),
                IF(seq % 5 IN (0, 1), NULL, TIMESTAMPADD(MINUTE, seq * 45 + (seq % 30) * 60, '2025-01-01 00:00:00')),
                TIMESTAMPADD(MINUTE, seq * 45, '2025-01-01 00:00:00'),
                TIMESTAMPADD(MINUTE, seq * 45 + 90, '2025-01-01 00:00:00')
         FROM seq_1_to_${TICKETS}`,
      );
    });
    console.log(`seed: ${AGENTS} agents, ${CUSTOMERS} customers, ${TICKETS} tickets`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
