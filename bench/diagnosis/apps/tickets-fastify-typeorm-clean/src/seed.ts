import { dataSource } from './data-source';

const TICKET_COUNT = 20000;

async function main() {
  await dataSource.initialize();
  try {
    await dataSource.synchronize();
    const [{ n }] = await dataSource.query('SELECT count(*) AS n FROM tickets');
    if (Number(n) >= TICKET_COUNT) {
      console.log(`tickets already seeded (${n})`);
      return;
    }
    await dataSource.transaction(async (manager) => {
      await manager.query('DELETE FROM ticket_comments');
      await manager.query('DELETE FROM tickets');
      await manager.query(
        `WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ?)
         INSERT INTO tickets (id, subject, description, requester_email, assignee, status, priority, created_at, updated_at)
         SELECT n,
                'Cannot ' || (CASE n % 5 WHEN 0 THEN 'log in' WHEN 1 THEN 'export invoices' WHEN 2 THEN 'reset password'
                                         WHEN 3 THEN 'upload attachments' ELSE 'sync calendar' END) || ' (#' || n || ')',
                'Customer reports the problem started after the last update. Steps to reproduce are attached. ',
                'customer' || (n % 4000) || '@example.net',
                CASE WHEN n % 3 = 0 THEN NULL ELSE 'agent' || (n % 25) END,
                CASE n % 4 WHEN 0 THEN 'open' WHEN 1 THEN 'pending' WHEN 2 THEN 'resolved' ELSE 'closed' END,
                CASE n % 7 WHEN 0 THEN 'urgent' WHEN 1 THEN 'high' WHEN 2 THEN 'low' ELSE 'normal' END,
                datetime('2024-01-01', '+' || (n * 20) || ' minutes'),
                datetime('2024-01-01', '+' || (n * 20 + 600) || ' minutes')
           FROM seq`,
        [TICKET_COUNT],
      );
      await manager.query(
        `WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 11)
         INSERT INTO ticket_comments (ticket_id, author, body, internal, created_at)
         SELECT t.id,
                CASE WHEN k.i % 2 = 0 THEN 'agent' || (t.id % 25) ELSE 'customer' || (t.id % 4000) END,
                'Follow-up ' || (k.i + 1) || ': thanks, we are looking into it and will update this ticket shortly.',
                CASE WHEN k.i % 5 = 4 THEN 1 ELSE 0 END,
                datetime(t.created_at, '+' || (k.i * 45) || ' minutes')
           FROM tickets t JOIN k ON k.i < 4 + (t.id % 9)`,
      );
    });
    await dataSource.query('ANALYZE');
    console.log(`seeded ${TICKET_COUNT} tickets`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
