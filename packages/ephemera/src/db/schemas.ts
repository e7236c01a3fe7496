// TypeORM mapping of ./entities.ts. EntitySchema with the classes as `target`
// keeps the entities decorator-free (tsx/esbuild emits no decorator metadata)
// while TypeORM still constructs the classes; every column type is explicit so
// SQLite and PostgreSQL get the same tables.
import { EntitySchema } from 'typeorm';
import { Collection, Ephemeron, EphemeronView, Person, Place, Scan, Tag } from './entities.js';

const id = { type: 'integer', primary: true, generated: 'increment' } as const;

export const CollectionSchema = new EntitySchema<Collection>({
  name: 'Collection',
  target: Collection,
  tableName: 'collection',
  columns: {
    id,
    name: { type: 'varchar', length: 200 },
    source: { type: 'varchar', length: 20 },
    externalKey: { name: 'external_key', type: 'varchar', length: 100, nullable: true },
    description: { type: 'text' },
    createdAt: { name: 'created_at', type: 'varchar', length: 30 },
  },
  indices: [{ name: 'collection_source_key_idx', columns: ['source', 'externalKey'], unique: true }],
});

export const PersonSchema = new EntitySchema<Person>({
  name: 'Person',
  target: Person,
  tableName: 'person',
  columns: {
    id,
    firstName: { name: 'first_name', type: 'varchar', length: 100 },
    lastName: { name: 'last_name', type: 'varchar', length: 100 },
    birthYear: { name: 'birth_year', type: 'integer', nullable: true },
  },
});

export const PlaceSchema = new EntitySchema<Place>({
  name: 'Place',
  target: Place,
  tableName: 'place',
  columns: {
    id,
    name: { type: 'varchar', length: 200 },
    region: { type: 'varchar', length: 100 },
    country: { type: 'varchar', length: 100 },
    latitude: { type: 'float', nullable: true },
    longitude: { type: 'float', nullable: true },
  },
});

export const TagSchema = new EntitySchema<Tag>({
  name: 'Tag',
  target: Tag,
  tableName: 'tag',
  columns: { id, name: { type: 'varchar', length: 100, unique: true } },
});

export const ScanSchema = new EntitySchema<Scan>({
  name: 'Scan',
  target: Scan,
  tableName: 'scan',
  columns: {
    id,
    ephemeronId: { name: 'ephemeron_id', type: 'integer' },
    side: { type: 'varchar', length: 10 },
    urlTemplate: { name: 'url_template', type: 'varchar', length: 500 },
    widths: { type: 'varchar', length: 100 },
    aspect: { type: 'float', nullable: true },
  },
  relations: {
    ephemeron: { type: 'many-to-one', target: 'Ephemeron', joinColumn: { name: 'ephemeron_id' }, onDelete: 'CASCADE' },
  },
  indices: [{ name: 'scan_ephemeron_idx', columns: ['ephemeronId'] }],
});

function joinTable(name: string, other: string) {
  return { name, joinColumn: { name: 'ephemeron_id' }, inverseJoinColumn: { name: `${other}_id` } };
}

export const EphemeronSchema = new EntitySchema<Ephemeron>({
  name: 'Ephemeron',
  target: Ephemeron,
  tableName: 'ephemeron',
  columns: {
    id,
    title: { type: 'varchar', length: 300 },
    kind: { type: 'varchar', length: 20 },
    postmarkDate: { name: 'postmark_date', type: 'varchar', length: 10, nullable: true },
    postmarkPlaceId: { name: 'postmark_place_id', type: 'integer', nullable: true },
    transcription: { type: 'text' },
    senderId: { name: 'sender_id', type: 'integer', nullable: true },
    recipientId: { name: 'recipient_id', type: 'integer', nullable: true },
    collectionId: { name: 'collection_id', type: 'integer' },
    ebayItemId: { name: 'ebay_item_id', type: 'varchar', length: 100, nullable: true, unique: true },
    createdAt: { name: 'created_at', type: 'varchar', length: 30 },
  },
  relations: {
    postmarkPlace: { type: 'many-to-one', target: 'Place', joinColumn: { name: 'postmark_place_id' }, nullable: true },
    sender: { type: 'many-to-one', target: 'Person', joinColumn: { name: 'sender_id' }, nullable: true },
    recipient: { type: 'many-to-one', target: 'Person', joinColumn: { name: 'recipient_id' }, nullable: true },
    collection: { type: 'many-to-one', target: 'Collection', joinColumn: { name: 'collection_id' } },
    people: { type: 'many-to-many', target: 'Person', joinTable: joinTable('ephemeron_person', 'person') },
    places: { type: 'many-to-many', target: 'Place', joinTable: joinTable('ephemeron_place', 'place') },
    tags: { type: 'many-to-many', target: 'Tag', joinTable: joinTable('ephemeron_tag', 'tag') },
    scans: { type: 'one-to-many', target: 'Scan', inverseSide: 'ephemeron' },
  },
  indices: [
    { name: 'ephemeron_collection_idx', columns: ['collectionId'] },
    { name: 'ephemeron_sender_idx', columns: ['senderId'] },
    { name: 'ephemeron_recipient_idx', columns: ['recipientId'] },
    { name: 'ephemeron_postmark_place_idx', columns: ['postmarkPlaceId'] },
    { name: 'ephemeron_postmark_date_idx', columns: ['postmarkDate'] },
  ],
});

export const EphemeronViewSchema = new EntitySchema<EphemeronView>({
  name: 'EphemeronView',
  target: EphemeronView,
  tableName: 'ephemeron_view',
  columns: {
    id,
    ephemeronId: { name: 'ephemeron_id', type: 'integer' },
    referrer: { type: 'varchar', length: 500, nullable: true },
    viewedAt: { name: 'viewed_at', type: 'varchar', length: 30 },
  },
  indices: [{ name: 'ephemeron_view_ephemeron_idx', columns: ['ephemeronId'] }],
});

export const allSchemas = [
  CollectionSchema,
  PersonSchema,
  PlaceSchema,
  TagSchema,
  ScanSchema,
  EphemeronSchema,
  EphemeronViewSchema,
];

/** Tables in drop order (dependents first); the seed drops only these. */
export const ownTables = [
  'ephemeron_view',
  'ephemeron_tag',
  'ephemeron_place',
  'ephemeron_person',
  'scan',
  'ephemeron',
  'tag',
  'place',
  'person',
  'collection',
];
