// Run by Vitest (from ../../vitest-matchers.test.ts): an N+1 route and its join-based fix,
// checked with the matchers that `culprit/budget/vitest` registers.
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { expect, test } from 'vitest';
import { measure } from '../../index.js';
import '../../vitest.js';

const db = new Database(':memory:');
db.exec(
  'CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE book (id INTEGER PRIMARY KEY, author_id INTEGER)',
);
for (let i = 1; i <= 5; i++) db.exec(`INSERT INTO author VALUES (${i}, 'a${i}'); INSERT INTO book VALUES (${i}, ${i})`);

const app = Fastify();
app.get('/n-plus-one', async () => {
  const books = db.prepare('SELECT id, author_id FROM book').all() as Array<{ author_id: number }>;
  return books.map((book) => db.prepare('SELECT name FROM author WHERE id = ?').get(book.author_id)); // per book
});
app.get('/joined', async () => db.prepare('SELECT b.id, a.name FROM book b JOIN author a ON a.id = b.author_id').all());

test('joined stays within', async () => {
  expect(await measure(() => app.inject('/joined'))).toStayWithin({ queries: 1, repeatedQueries: 1 });
});

test('n-plus-one breaks it, naming the line (mapped through Vitest inline source map)', async () => {
  const measured = await measure(() => app.inject('/n-plus-one'));
  expect(measured).not.toStayWithin({ repeatedQueries: 1 });
  expect(() => expect(measured).toStayWithin({ repeatedQueries: 1 })).toThrow(
    /repeated query: 5 times at .*books\.vitest\.ts:18 \(budget 1\)\n {4}SELECT name FROM author WHERE id = \?/,
  );
});

test('snapshot of joined', async () => {
  expect(await measure(() => app.inject('/joined'))).toMatchQuerySnapshot();
});
