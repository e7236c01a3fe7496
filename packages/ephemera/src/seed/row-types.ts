// Shapes shared by the generator and the bulk writers.

/** One row's values in the column order of its entry in TABLE_COLUMNS. */
export type Row = ReadonlyArray<string | number | null>;

export interface ArchiveSize {
  ephemera: number;
  people: number;
  places: number;
  tags: number;
  collections: number;
}

export interface EphemeraBatch {
  ephemera: Row[];
  scans: Row[];
  people: Row[];
  places: Row[];
  tags: Row[];
}

/** Column lists of the tables the seed writes, with PostgreSQL array types for unnest(). */
export const TABLE_COLUMNS = {
  collection: [
    ['id', 'int'],
    ['name', 'text'],
    ['source', 'text'],
    ['external_key', 'text'],
    ['description', 'text'],
    ['created_at', 'text'],
  ],
  person: [
    ['id', 'int'],
    ['first_name', 'text'],
    ['last_name', 'text'],
    ['birth_year', 'int'],
  ],
  place: [
    ['id', 'int'],
    ['name', 'text'],
    ['region', 'text'],
    ['country', 'text'],
    ['latitude', 'float8'],
    ['longitude', 'float8'],
  ],
  tag: [
    ['id', 'int'],
    ['name', 'text'],
  ],
  ephemeron: [
    ['id', 'int'],
    ['title', 'text'],
    ['kind', 'text'],
    ['postmark_date', 'text'],
    ['postmark_place_id', 'int'],
    ['transcription', 'text'],
    ['sender_id', 'int'],
    ['recipient_id', 'int'],
    ['collection_id', 'int'],
    ['ebay_item_id', 'text'],
    ['created_at', 'text'],
  ],
  scan: [
    ['id', 'int'],
    ['ephemeron_id', 'int'],
    ['side', 'text'],
    ['url_template', 'text'],
    ['widths', 'text'],
    ['aspect', 'float8'],
  ],
  ephemeron_person: [
    ['ephemeron_id', 'int'],
    ['person_id', 'int'],
  ],
  ephemeron_place: [
    ['ephemeron_id', 'int'],
    ['place_id', 'int'],
  ],
  ephemeron_tag: [
    ['ephemeron_id', 'int'],
    ['tag_id', 'int'],
  ],
} as const satisfies Record<string, ReadonlyArray<readonly [string, string]>>;

export type SeedTable = keyof typeof TABLE_COLUMNS;
