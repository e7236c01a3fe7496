// Schema set-up a fresh clone runs by itself: tables from the entity mapping
// (TypeORM sync, only when the archive's tables are missing, so a started
// service never alters a large existing table) plus the full-text index that
// TypeORM cannot describe (SQLite FTS5 / a PostgreSQL GIN expression index).
import type { DataSource } from 'typeorm';
import { isSqlite } from './data-source.js';
import { ownTables } from './schemas.js';

/** Creates whatever is missing: tables, then the search index. Idempotent. */
export async function ensureSchema(dataSource: DataSource): Promise<void> {
  await ensureTables(dataSource);
  await ensureSearchIndex(dataSource);
}

export async function ensureTables(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    if (!(await runner.hasTable('ephemeron'))) await dataSource.synchronize();
  } finally {
    await runner.release();
  }
}

/** Drops the archive's own tables (never anything else: the database may be shared). */
export async function dropTables(dataSource: DataSource): Promise<void> {
  const cascade = isSqlite(dataSource) ? '' : ' CASCADE';
  if (isSqlite(dataSource)) await dataSource.query('DROP TABLE IF EXISTS ephemeron_fts');
  for (const table of ownTables) await dataSource.query(`DROP TABLE IF EXISTS ${table}${cascade}`);
}

const sqliteSearchDdl = [
  // External-content FTS5 table: the text stays in `ephemeron`, the index here.
  `CREATE VIRTUAL TABLE IF NOT EXISTS ephemeron_fts USING fts5(
     title, transcription, content='ephemeron', content_rowid='id', tokenize='unicode61 remove_diacritics 2')`,
  `CREATE TRIGGER IF NOT EXISTS ephemeron_fts_ai AFTER INSERT ON ephemeron BEGIN
     INSERT INTO ephemeron_fts(rowid, title, transcription) VALUES (new.id, new.title, new.transcription);
   END`,
  `CREATE TRIGGER IF NOT EXISTS ephemeron_fts_ad AFTER DELETE ON ephemeron BEGIN
     INSERT INTO ephemeron_fts(ephemeron_fts, rowid, title, transcription)
       VALUES ('delete', old.id, old.title, old.transcription);
   END`,
  `CREATE TRIGGER IF NOT EXISTS ephemeron_fts_au AFTER UPDATE OF title, transcription ON ephemeron BEGIN
     INSERT INTO ephemeron_fts(ephemeron_fts, rowid, title, transcription)
       VALUES ('delete', old.id, old.title, old.transcription);
     INSERT INTO ephemeron_fts(rowid, title, transcription) VALUES (new.id, new.title, new.transcription);
   END`,
];

/**
 * PostgreSQL: a stored tsvector column (computed on write, so matching rows
 * need no re-parsing of their text) with a GIN index. Queries use
 * `search_vector @@ plainto_tsquery('simple', …)`.
 */
const pgSearchDdl = [
  `ALTER TABLE ephemeron ADD COLUMN IF NOT EXISTS search_vector tsvector
     GENERATED ALWAYS AS (to_tsvector('simple', title || ' ' || transcription)) STORED`,
  'DROP INDEX IF EXISTS ephemeron_search_idx', // the expression index of earlier versions
  'CREATE INDEX IF NOT EXISTS ephemeron_search_vector_idx ON ephemeron USING gin (search_vector)',
];

export async function ensureSearchIndex(dataSource: DataSource): Promise<void> {
  if (isSqlite(dataSource)) {
    const exists = await dataSource.query(
      "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ephemeron_fts'",
    );
    for (const ddl of sqliteSearchDdl) await dataSource.query(ddl);
    // Rows written before the index existed (a bulk seed) are indexed in one pass.
    if (Array.isArray(exists) && exists.length === 0) {
      await dataSource.query("INSERT INTO ephemeron_fts(ephemeron_fts) VALUES ('rebuild')");
    }
    return;
  }
  for (const ddl of pgSearchDdl) await dataSource.query(ddl);
}
