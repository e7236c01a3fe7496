import 'reflect-metadata';
import fs from 'fs';
import path from 'path';
import { DataSource } from 'typeorm';
import { Ticket } from './entities/Ticket';
import { TicketComment } from './entities/TicketComment';

const databaseFile = process.env.TICKETS_DB || path.resolve(__dirname, '..', 'data', 'tickets.sqlite');
fs.mkdirSync(path.dirname(databaseFile), { recursive: true });

export const dataSource = new DataSource({
  type: 'better-sqlite3',
  database: databaseFile,
  entities: [Ticket, TicketComment],
  synchronize: false,
  logging: false,
  prepareDatabase: (db: { pragma(sql: string): unknown }) => {
    db.pragma('journal_mode = WAL');
  },
});
