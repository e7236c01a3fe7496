import { bigint, index, integer, pgTable, serial, text, timestamp, varchar } from 'drizzle-orm/pg-core';

export const notebooks = pgTable('notebooks', {
  id: serial('id').primaryKey(),
  ownerId: integer('owner_id').notNull(),
  title: varchar('title', { length: 160 }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const notes = pgTable(
  'notes',
  {
    id: serial('id').primaryKey(),
    notebookId: integer('notebook_id')
      .notNull()
      .references(() => notebooks.id),
    title: varchar('title', { length: 200 }).notNull(),
    body: text('body').notNull(),
    pinned: integer('pinned').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('notes_notebook_updated_idx').on(t.notebookId, t.updatedAt)]
);

export const attachments = pgTable(
  'attachments',
  {
    id: serial('id').primaryKey(),
    noteId: integer('note_id')
      .notNull()
      .references(() => notes.id, { onDelete: 'cascade' }),
    fileName: varchar('file_name', { length: 255 }).notNull(),
    contentType: varchar('content_type', { length: 100 }).notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    storageKey: varchar('storage_key', { length: 300 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('attachments_note_idx').on(t.noteId)]
);

export type Note = typeof notes.$inferSelect;
export type Attachment = typeof attachments.$inferSelect;
