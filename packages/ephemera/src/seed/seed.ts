// `ephemera seed`: replaces the archive's tables with a generated archive of
// `count` items, then builds the search index and planner statistics.
import type { DataSource } from 'typeorm';
import { isSqlite, sqliteHandle } from '../db/data-source.js';
import { dropTables, ensureSearchIndex, ensureTables } from '../db/schema.js';
import { archiveSize, collectionRows, ephemeraBatch, personRows, placeRows, tagRows } from './generator.js';
import type { ArchiveSize, Row, SeedTable } from './row-types.js';
import { bulkWriter } from './writers.js';

export const MAX_SEED_COUNT = 5_000_000;
const BATCH = 2000;

export interface SeedProgress {
  phase: 'people' | 'ephemera' | 'index';
  done: number;
  total: number;
}

export interface SeedSummary {
  size: ArchiveSize;
  seconds: number;
}

export async function seedArchive(
  dataSource: DataSource,
  count: number,
  onProgress: (progress: SeedProgress) => void = () => {},
): Promise<SeedSummary> {
  const started = performance.now();
  const size = archiveSize(count);
  await dropTables(dataSource);
  await ensureTables(dataSource);
  // The seed rewrites the archive from scratch: no WAL copy of a gigabyte-sized
  // transaction, no fsync; a rollback journal in memory still allows ROLLBACK.
  if (isSqlite(dataSource)) setSqliteBulkMode(dataSource, true);
  const writer = bulkWriter(dataSource);
  await writer.begin();
  try {
    const inChunks = async (table: SeedTable, rows: Row[]) => {
      for (let i = 0; i < rows.length; i += BATCH) await writer.insert(table, rows.slice(i, i + BATCH));
    };
    await inChunks('collection', collectionRows(size));
    await inChunks('place', placeRows());
    await inChunks('tag', tagRows());
    const people = personRows(size);
    for (let i = 0; i < people.length; i += BATCH) {
      await writer.insert('person', people.slice(i, i + BATCH));
      onProgress({ phase: 'people', done: Math.min(i + BATCH, people.length), total: people.length });
    }
    for (let from = 1; from <= count; from += BATCH) {
      const to = Math.min(count, from + BATCH - 1);
      const batch = ephemeraBatch(size, from, to);
      await writer.insert('ephemeron', batch.ephemera);
      await writer.insert('scan', batch.scans);
      await writer.insert('ephemeron_person', batch.people);
      await writer.insert('ephemeron_place', batch.places);
      await writer.insert('ephemeron_tag', batch.tags);
      onProgress({ phase: 'ephemera', done: to, total: count });
    }
    await writer.commit();
  } catch (error) {
    await writer.rollback();
    if (isSqlite(dataSource)) setSqliteBulkMode(dataSource, false);
    throw error;
  }
  onProgress({ phase: 'index', done: 0, total: 1 });
  await ensureSearchIndex(dataSource);
  await dataSource.query('ANALYZE');
  if (isSqlite(dataSource)) setSqliteBulkMode(dataSource, false);
  onProgress({ phase: 'index', done: 1, total: 1 });
  return { size, seconds: (performance.now() - started) / 1000 };
}

function setSqliteBulkMode(dataSource: DataSource, bulk: boolean): void {
  const db = sqliteHandle(dataSource);
  if (db.name === ':memory:') return;
  db.pragma(bulk ? 'journal_mode = MEMORY' : 'journal_mode = WAL');
  db.pragma(bulk ? 'synchronous = OFF' : 'synchronous = NORMAL');
}
