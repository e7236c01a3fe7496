// Bulk writers: raw batched INSERTs inside one transaction, the fast path for
// seeding (the ORM's per-entity save would take minutes for 100,000 cards).
import type Database from 'better-sqlite3';
import type { DataSource, QueryRunner } from 'typeorm';
import { isSqlite, sqliteHandle } from '../db/data-source.js';
import { type Row, type SeedTable, TABLE_COLUMNS } from './row-types.js';

export interface BulkWriter {
  begin(): Promise<void>;
  insert(table: SeedTable, rows: readonly Row[]): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export function bulkWriter(dataSource: DataSource): BulkWriter {
  return isSqlite(dataSource) ? sqliteWriter(dataSource) : postgresWriter(dataSource);
}

function sqliteWriter(dataSource: DataSource): BulkWriter {
  const db = sqliteHandle(dataSource);
  const statements = new Map<SeedTable, Database.Statement<unknown[]>>();
  const statementFor = (table: SeedTable) => {
    let statement = statements.get(table);
    if (!statement) {
      const columns = TABLE_COLUMNS[table].map(([name]) => name);
      const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
      statement = db.prepare<unknown[]>(sql);
      statements.set(table, statement);
    }
    return statement;
  };
  return {
    async begin() {
      db.exec('BEGIN');
    },
    async insert(table, rows) {
      const statement = statementFor(table);
      for (const row of rows) statement.run(...row);
    },
    async commit() {
      db.exec('COMMIT');
    },
    async rollback() {
      if (db.inTransaction) db.exec('ROLLBACK');
    },
  };
}

function postgresWriter(dataSource: DataSource): BulkWriter {
  let runner: QueryRunner | undefined;
  const active = () => {
    if (!runner) throw new Error('bulk writer: begin() first');
    return runner;
  };
  return {
    async begin() {
      runner = dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
    },
    async insert(table, rows) {
      if (rows.length === 0) return;
      const columns = TABLE_COLUMNS[table];
      // One statement per batch: each column travels as one array parameter.
      const arrays = columns.map((_, i) => rows.map((row) => row[i] ?? null));
      const casts = columns.map(([, type], i) => `$${i + 1}::${type}[]`);
      const sql = `INSERT INTO ${table} (${columns.map(([name]) => name).join(', ')}) SELECT * FROM unnest(${casts.join(', ')})`;
      await active().query(sql, arrays);
    },
    async commit() {
      const r = active();
      // Explicit ids leave the serial sequences behind: move them past the data.
      for (const table of ['collection', 'person', 'place', 'tag', 'ephemeron', 'scan']) {
        await r.query(
          `SELECT setval(pg_get_serial_sequence('${table}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM ${table}`,
        );
      }
      await r.commitTransaction();
      await r.release();
      runner = undefined;
    },
    async rollback() {
      if (!runner) return;
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
      runner = undefined;
    },
  };
}
