// Search and filters over the archive: full-text (SQLite FTS5 / PostgreSQL
// tsvector) plus person, place, year and collection, paginated with a total.
// User text only ever reaches SQL as a bound parameter; for FTS5 it is also
// reduced to quoted word tokens, so FTS operators in it are plain words.
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { isSqlite } from '../db/data-source.js';
import { Ephemeron } from '../db/entities.js';
import { optionalId, parseIntInRange, parseText, type QueryParams } from './params.js';

export const MAX_PAGE_SIZE = 100;

export interface SearchFilters {
  /** Word tokens of `q`; null when no `q` was given. */
  words: string[] | null;
  person: number | null;
  place: number | null;
  year: number | null;
  collection: number | null;
  page: number;
  pageSize: number;
}

export function parseSearchFilters(query: QueryParams): SearchFilters {
  const q = parseText('q', query.one('q'), 200);
  return {
    words: q === null || q.trim() === '' ? null : (q.match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12),
    person: optionalId('person', query.one('person')),
    place: optionalId('place', query.one('place')),
    year: query.one('year') ? parseIntInRange('year', query.one('year'), 0, 1800, 2100) : null,
    collection: optionalId('collection', query.one('collection')),
    page: parseIntInRange('page', query.one('page'), 1, 1, 100_000),
    pageSize: parseIntInRange('page_size', query.one('page_size'), 20, 1, MAX_PAGE_SIZE),
  };
}

/** FTS5 query text: every token quoted (a phrase of one word), all required. */
export function ftsQuery(words: string[]): string {
  return words.map((word) => `"${word.replaceAll('"', '""')}"`).join(' ');
}

function applyFilters(
  dataSource: DataSource,
  query: SelectQueryBuilder<Ephemeron>,
  f: SearchFilters,
): SelectQueryBuilder<Ephemeron> {
  if (f.words !== null) {
    if (f.words.length === 0) return query.andWhere('1 = 0'); // only punctuation: nothing can match
    if (isSqlite(dataSource)) {
      query.andWhere('e.id IN (SELECT rowid FROM ephemeron_fts WHERE ephemeron_fts MATCH :fts)', {
        fts: ftsQuery(f.words),
      });
    } else {
      query.andWhere("e.search_vector @@ plainto_tsquery('simple', :words)", { words: f.words.join(' ') });
    }
  }
  if (f.person !== null) {
    query.andWhere(
      '(e.senderId = :person OR e.recipientId = :person OR e.id IN (SELECT ephemeron_id FROM ephemeron_person WHERE person_id = :person))',
      { person: f.person },
    );
  }
  if (f.place !== null) {
    query.andWhere(
      '(e.postmarkPlaceId = :place OR e.id IN (SELECT ephemeron_id FROM ephemeron_place WHERE place_id = :place))',
      { place: f.place },
    );
  }
  if (f.year !== null) {
    query.andWhere('e.postmarkDate >= :from AND e.postmarkDate < :to', {
      from: `${f.year}-01-01`,
      to: `${f.year + 1}-01-01`,
    });
  }
  if (f.collection !== null) query.andWhere('e.collectionId = :collection', { collection: f.collection });
  return query;
}

/** Ids of one page of matches, in id order, and the number of matches. */
export async function searchEphemera(
  dataSource: DataSource,
  filters: SearchFilters,
): Promise<{ total: number; ids: number[] }> {
  const base = () => applyFilters(dataSource, dataSource.getRepository(Ephemeron).createQueryBuilder('e'), filters);
  const total = await base().getCount();
  const offset = (filters.page - 1) * filters.pageSize;
  if (total <= offset) return { total, ids: [] };
  const rows: Array<{ id: number | string }> = await base()
    .select('e.id', 'id')
    .orderBy('e.id', 'ASC')
    .offset(offset)
    .limit(filters.pageSize)
    .getRawMany();
  return { total, ids: rows.map((row) => Number(row.id)) };
}
