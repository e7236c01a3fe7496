import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const here = path.dirname(fileURLToPath(import.meta.url));
const file = process.env.FEEDS_DB ?? path.join(here, '..', 'data', 'feeds.sqlite');
fs.mkdirSync(path.dirname(file), { recursive: true });

export const db = new Database(file);
db.pragma('journal_mode = WAL');

export function migrate(): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS sources (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      feed_url TEXT NOT NULL UNIQUE,
      category TEXT NOT NULL,
      active INTEGER NOT NULL DEFAULT 1,
      last_polled_at TEXT
    );
    CREATE TABLE IF NOT EXISTS items (
      id INTEGER PRIMARY KEY,
      source_id INTEGER NOT NULL REFERENCES sources(id),
      guid TEXT NOT NULL,
      url TEXT NOT NULL,
      title TEXT NOT NULL,
      summary TEXT,
      author TEXT,
      published_at TEXT NOT NULL,
      UNIQUE (source_id, guid)
    );
    CREATE INDEX IF NOT EXISTS idx_items_published ON items(published_at);
  `);
}
