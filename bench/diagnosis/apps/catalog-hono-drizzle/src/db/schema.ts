import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const books = sqliteTable(
  'books',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    isbn: text('isbn').notNull().unique(),
    title: text('title').notNull(),
    author: text('author').notNull(),
    publisher: text('publisher').notNull(),
    genre: text('genre').notNull(),
    publishedYear: integer('published_year').notNull(),
    pages: integer('pages').notNull(),
    price: real('price').notNull(),
    synopsis: text('synopsis').notNull(),
  },
  (table) => [
    index('books_title_idx').on(table.title, table.id),
    index('books_genre_idx').on(table.genre),
  ],
);

export type Book = typeof books.$inferSelect;
export type NewBook = typeof books.$inferInsert;
