import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = path.join(here, '..', 'data');
fs.mkdirSync(dataDir, { recursive: true });

export const db = new Database(process.env.WEBHOOKS_DB ?? path.join(dataDir, 'webhooks.sqlite'));
db.pragma('journal_mode = WAL');

export function migrate(): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS webhook_sources (
      provider TEXT PRIMARY KEY,
      secret TEXT NOT NULL,
      salt TEXT NOT NULL,
      enabled INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE IF NOT EXISTS deliveries (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      provider TEXT NOT NULL,
      delivery_id TEXT,
      event TEXT NOT NULL,
      repository TEXT,
      received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE INDEX IF NOT EXISTS idx_deliveries_provider ON deliveries(provider, received_at);
  `);
}
