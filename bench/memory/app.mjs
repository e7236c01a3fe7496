// The target: one request issues N queries (`GET /queries?n=N`) from two
// lines of application code, against an in-memory better-sqlite3 database,
// so the app itself stays small and culprit's cost per query is what grows.
import http from 'node:http';
import Database from 'better-sqlite3';

const db = new Database(':memory:');
db.exec('CREATE TABLE item (id INTEGER PRIMARY KEY, title TEXT)');
const insert = db.prepare('INSERT INTO item (title) VALUES (?)');
for (let i = 1; i <= 100; i++) insert.run(`item ${i}`);
const byId = db.prepare('SELECT title FROM item WHERE id = ?');
const count = db.prepare('SELECT count(*) AS c FROM item WHERE id > ?');

function load(i) {
  return byId.get((i % 100) + 1); // the N+1: one query per item
}

function tally(i) {
  return count.get(i % 100); // a second shape from another line
}

const server = http.createServer((req, res) => {
  const n = Number(new URL(req.url ?? '/', 'http://localhost').searchParams.get('n') ?? 10);
  let titles = 0;
  for (let i = 0; i < n; i++) {
    if (load(i)) titles++;
    if (i % 10 === 0) tally(i);
  }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ n, titles }));
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
