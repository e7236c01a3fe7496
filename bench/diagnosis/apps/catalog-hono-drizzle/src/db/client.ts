import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import fs from 'fs';
import path from 'path';
import * as schema from './schema';

const dataDir = path.resolve(__dirname, '..', '..', 'data');
export const databaseFile = process.env.CATALOG_DB || path.join(dataDir, 'catalog.db');

fs.mkdirSync(path.dirname(databaseFile), { recursive: true });

export const sqlite = new Database(databaseFile);
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('foreign_keys = ON');

export const db = drizzle(sqlite, { schema });
