import { Hono } from 'hono';
import { getBook, listBooks, searchBooks } from '../services/books';

function positiveInt(value: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number.parseInt(value ?? '', 10);
  if (!Number.isFinite(n) || n < 1) return fallback;
  return Math.min(n, max);
}

export const booksRoutes = new Hono();

booksRoutes.get('/', (c) => {
  const page = positiveInt(c.req.query('page'), 1);
  const pageSize = positiveInt(c.req.query('pageSize'), 20, 100);
  return c.json(listBooks(page, pageSize));
});

booksRoutes.get('/search', (c) => {
  const q = c.req.query('q');
  if (!q || q.length < 2) {
    return c.json({ error: 'q must be at least 2 characters' }, 400);
  }
  return c.json({ items: searchBooks(q, c.req.query('genre'), positiveInt(c.req.query('limit'), 20, 100)) });
});

booksRoutes.get('/:id', (c) => {
  const id = positiveInt(c.req.param('id'), 0);
  const book = id ? getBook(id) : undefined;
  if (!book) {
    return c.json({ error: 'book not found' }, 404);
  }
  return c.json(book);
});
