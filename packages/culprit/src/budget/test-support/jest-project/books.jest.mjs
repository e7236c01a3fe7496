// Run by Jest (from ../../matchers.test.ts): an N+1 loop and its join-based fix, measured
// in the test's own process and checked with the matchers that `culprit/budget/jest` registers.
import Database from 'better-sqlite3';
import { measure } from 'culprit/budget';
import 'culprit/budget/jest';

const db = new Database(':memory:');
db.exec(
  'CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE book (id INTEGER PRIMARY KEY, author_id INTEGER)',
);
for (let i = 1; i <= 5; i++) db.exec(`INSERT INTO author VALUES (${i}, 'a${i}'); INSERT INTO book VALUES (${i}, ${i})`);

function nPlusOne() {
  const books = db.prepare('SELECT id, author_id FROM book').all();
  return books.map((book) => db.prepare('SELECT name FROM author WHERE id = ?').get(book.author_id)); // per book
}
const joined = () => db.prepare('SELECT b.id, a.name FROM book b JOIN author a ON a.id = b.author_id').all();

test('joined stays within', async () => {
  const measured = await measure(joined);
  expect(measured.queries).toHaveLength(1);
  expect(measured).toStayWithin({ queries: 1, repeatedQueries: 1 });
});

test('n-plus-one breaks it, naming the line', async () => {
  const measured = await measure(nPlusOne);
  expect(measured.queries).toHaveLength(6);
  expect(() => expect(measured).toStayWithin({ repeatedQueries: 1 })).toThrow(
    /repeated query: 5 times at .*books\.jest\.mjs:15 \(budget 1\)\n {4}SELECT name FROM author WHERE id = \?/,
  );
});

test('snapshot of joined', async () => {
  expect(await measure(joined)).toMatchQuerySnapshot();
});
