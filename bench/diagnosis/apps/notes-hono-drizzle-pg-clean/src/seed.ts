import { Client } from 'pg';
import { DATABASE_NAME, poolConfig } from './db/client';

const NOTEBOOKS = 400;
const NOTES = 20_000;

async function main(): Promise<void> {
  const admin = new Client(poolConfig('test'));
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${DATABASE_NAME}"`);
  await admin.end();

  const client = new Client(poolConfig());
  await client.connect();
  try {
    const { rows } = await client.query("SELECT to_regclass('public.attachments') IS NOT NULL AS present");
    if (rows[0].present) {
      const { rows: counts } = await client.query('SELECT count(*)::int AS n FROM notes');
      if (counts[0].n === NOTES) {
        console.log('seed: already present');
        return;
      }
    }
    await client.query('BEGIN');
    await client.query('DROP TABLE IF EXISTS attachments, notes, notebooks CASCADE');
    await client.query(`
      CREATE TABLE notebooks (
        id serial PRIMARY KEY,
        owner_id integer NOT NULL,
        title varchar(160) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE notes (
        id serial PRIMARY KEY,
        notebook_id integer NOT NULL REFERENCES notebooks (id),
        title varchar(200) NOT NULL,
        body text NOT NULL,
        pinned integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX notes_notebook_updated_idx ON notes (notebook_id, updated_at);
      CREATE TABLE attachments (
        id serial PRIMARY KEY,
        note_id integer NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
        file_name varchar(255) NOT NULL,
        content_type varchar(100) NOT NULL,
        size_bytes bigint NOT NULL,
        storage_key varchar(300) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX attachments_note_idx ON attachments (note_id);
    `);
    await client.query(
      `INSERT INTO notebooks (owner_id, title)
       SELECT 1 + g % 120, (ARRAY['Work', 'Recipes', 'Travel', 'Reading list', 'Ideas'])[1 + g % 5] || ' ' || g
       FROM generate_series(1, $1) g`,
      [NOTEBOOKS]
    );
    await client.query(
      `INSERT INTO notes (notebook_id, title, body, pinned, created_at, updated_at)
       SELECT 1 + g % $2, 'Meeting notes ' || g,
              repeat('Discussed roadmap items, owners and next steps. ', 1 + g % 12),
              CASE WHEN g % 17 = 0 THEN 1 ELSE 0 END,
              now() - ((g % 700) || ' days')::interval,
              now() - ((g % 300) || ' hours')::interval
       FROM generate_series(1, $1) g`,
      [NOTES, NOTEBOOKS]
    );
    // 5 to 10 attachments per note.
    await client.query(
      `INSERT INTO attachments (note_id, file_name, content_type, size_bytes, storage_key, created_at)
       SELECT n.id,
              (ARRAY['whiteboard', 'slides', 'budget', 'diagram', 'recording'])[1 + k % 5] || '-' || k ||
                (ARRAY['.png', '.pdf', '.xlsx', '.svg', '.m4a'])[1 + k % 5],
              (ARRAY['image/png', 'application/pdf', 'application/vnd.ms-excel', 'image/svg+xml', 'audio/mp4'])[1 + k % 5],
              1024 + (n.id * 977 + k * 131) % 5000000,
              'notes/' || n.id || '/' || md5(n.id || '-' || k),
              n.created_at + (k || ' minutes')::interval
       FROM notes n CROSS JOIN LATERAL generate_series(1, 5 + n.id % 6) AS k`
    );
    await client.query('COMMIT');
    await client.query('ANALYZE');
    console.log(`seed: ${NOTEBOOKS} notebooks, ${NOTES} notes with 5-10 attachments each`);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
