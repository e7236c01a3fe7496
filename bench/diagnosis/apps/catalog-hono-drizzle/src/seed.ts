import { sql } from 'drizzle-orm';
import { db, sqlite } from './db/client';
import { books, NewBook } from './db/schema';

const BOOK_COUNT = 80000;
const BATCH_SIZE = 500;

const genres = ['fiction', 'mystery', 'history', 'science', 'fantasy', 'biography', 'poetry', 'travel', 'cooking', 'philosophy'];
const publishers = ['Harbor House', 'Lantern Press', 'Northwind', 'Quill & Stone', 'Bluefield', 'Meridian Books'];
const authorsFirst = ['Maya', 'Tomas', 'Aiko', 'Bruno', 'Clara', 'Desmond', 'Elena', 'Felix', 'Hana', 'Ivan'];
const authorsLast = ['Okafor', 'Lindqvist', 'Moreno', 'Takahashi', 'Byrne', 'Petrov', 'Haddad', 'Kaur'];
const titleWords = ['Silent', 'River', 'Winter', 'Garden', 'Glass', 'Empire', 'Shadow', 'Letters', 'Harvest', 'Atlas', 'Ember', 'Salt'];

function buildBook(n: number): NewBook {
  const w1 = titleWords[n % titleWords.length];
  const w2 = titleWords[Math.floor(n / titleWords.length) % titleWords.length];
  return {
    isbn: `978-${String(1000000000 + n).slice(0, 10)}`,
    title: `The ${w1} ${w2} ${n}`,
    author: `${authorsFirst[n % authorsFirst.length]} ${authorsLast[Math.floor(n / 7) % authorsLast.length]}`,
    publisher: publishers[n % publishers.length],
    genre: genres[n % genres.length],
    publishedYear: 1950 + (n % 75),
    pages: 120 + ((n * 31) % 700),
    price: Math.round((7.99 + (n % 30)) * 100) / 100,
    synopsis: `A ${genres[n % genres.length]} title about ${w1.toLowerCase()} and ${w2.toLowerCase()}. `.repeat(5),
  };
}

function main() {
  sqlite.exec(`
    CREATE TABLE IF NOT EXISTS books (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      isbn TEXT NOT NULL UNIQUE,
      title TEXT NOT NULL,
      author TEXT NOT NULL,
      publisher TEXT NOT NULL,
      genre TEXT NOT NULL,
      published_year INTEGER NOT NULL,
      pages INTEGER NOT NULL,
      price REAL NOT NULL,
      synopsis TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS books_title_idx ON books (title, id);
    CREATE INDEX IF NOT EXISTS books_genre_idx ON books (genre);
  `);

  const existing = db.select({ n: sql<number>`count(*)` }).from(books).get()?.n ?? 0;
  if (existing >= BOOK_COUNT) {
    console.log(`books already seeded (${existing})`);
    return;
  }

  db.transaction((tx) => {
    tx.delete(books).run();
    for (let start = 1; start <= BOOK_COUNT; start += BATCH_SIZE) {
      const batch: NewBook[] = [];
      for (let n = start; n < start + BATCH_SIZE && n <= BOOK_COUNT; n++) batch.push(buildBook(n));
      tx.insert(books).values(batch).run();
    }
  });
  sqlite.exec('ANALYZE');
  console.log(`seeded ${BOOK_COUNT} books`);
}

main();
sqlite.close();
