import { Hono } from 'hono';
import { booksRoutes } from './routes/books';

export const app = new Hono();

app.get('/health', (c) => c.json({ status: 'ok' }));
app.route('/books', booksRoutes);

app.notFound((c) => c.json({ error: 'not found' }, 404));
app.onError((err, c) => {
  console.error(err);
  return c.json({ error: 'internal server error' }, 500);
});
