import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

export const DATA_DIR = path.resolve(__dirname, '..', 'data');
export const DB_FILE = process.env.EVENTS_DB_FILE ?? path.join(DATA_DIR, 'events.db');

export function openDatabase(file: string = DB_FILE): Database.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  return db;
}
