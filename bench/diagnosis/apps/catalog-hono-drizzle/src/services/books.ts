import { and, asc, eq, like } from 'drizzle-orm';
import { db } from '../db/client';
import { Book, books } from '../db/schema';

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
  totalPages: number;
}

export type BookSummary = Omit<Book, 'synopsis'>;

function toSummary(book: Book): BookSummary {
  const { synopsis: _synopsis, ...summary } = book;
  return summary;
}

export function listBooks(page: number, pageSize: number): Page<BookSummary> {
  const all = db.select().from(books).orderBy(asc(books.title), asc(books.id)).all();
  const start = (page - 1) * pageSize;
  return {
    items: all.slice(start, start + pageSize).map(toSummary),
    page,
    pageSize,
    total: all.length,
    totalPages: Math.ceil(all.length / pageSize),
  };
}

export function getBook(id: number): Book | undefined {
  return db.select().from(books).where(eq(books.id, id)).get();
}

export function searchBooks(query: string, genre: string | undefined, limit: number): BookSummary[] {
  const conditions = [like(books.title, `%${query}%`)];
  if (genre) conditions.push(eq(books.genre, genre));
  return db
    .select()
    .from(books)
    .where(and(...conditions))
    .orderBy(asc(books.title))
    .limit(limit)
    .all()
    .map(toSummary);
}
