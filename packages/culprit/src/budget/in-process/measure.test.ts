// measure() in this very process: a small app of the test's own (Fastify +
// better-sqlite3) with an N+1 on one route, reached by inject, by http.request
// and by fetch to a server the test started, plus a downstream HTTP service.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import { type AddressInfo, connect, createServer as createNetServer } from 'node:net';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import { assertStaysWithin } from './assert.js';
import { measure } from './measure.js';

/** The 1-based line of this file that carries `marker` (a comment), so reformatting keeps the tests true. */
const lineOf = (marker: string) =>
  readFileSync(new URL(import.meta.url), 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(marker) && !line.includes('lineOf(')) + 1;

class Author {
  constructor(
    readonly id: number,
    readonly name: string,
  ) {}
}

const db = new Database(':memory:');
db.exec(
  'CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE book (id INTEGER PRIMARY KEY, author_id INTEGER, title TEXT)',
);
for (let i = 1; i <= 12; i++) {
  db.prepare('INSERT INTO author VALUES (?, ?)').run(i, `author ${i}`);
  db.prepare('INSERT INTO book VALUES (?, ?, ?)').run(i, i, `book ${i}`);
}

let app: FastifyInstance;
let server: Server;
let downstream: Server;
let base = '';
let downstreamUrl = '';

before(async () => {
  downstream = createServer((_req, res) => res.end('{"ok":true}')).listen(0, '127.0.0.1');
  await new Promise((resolve) => downstream.once('listening', resolve));
  downstreamUrl = `http://127.0.0.1:${(downstream.address() as AddressInfo).port}`;
  app = Fastify();
  app.get('/books', async () => {
    const books = db.prepare('SELECT id, author_id, title FROM book').all() as Array<{ id: number; author_id: number }>;
    return books.map((book) => {
      const row = db.prepare('SELECT id, name FROM author WHERE id = ?').get(book.author_id) as Author; // the N+1
      return { ...book, author: new Author(row.id, row.name) };
    });
  });
  app.get('/books-joined', async () => {
    const rows = db.prepare('SELECT b.id, a.name FROM book b JOIN author a ON a.id = b.author_id').all();
    return rows;
  });
  app.get('/with-calls', async () => {
    for (const id of [1, 2, 3]) await (await fetch(`${downstreamUrl}/users/${id}`)).text(); // call per id
    return { id: 1 };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  server = app.server;
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await app.close();
  downstream.close();
});

test('inject: the N+1 route repeats one statement from one line, and items come from the returned response', async () => {
  const m = await measure(() => app.inject('/books'), { constructions: true });
  assert.equal(m.items, 12);
  assert.equal(m.queries.length, 13);
  const author = m.queries.filter((q) => q.sql.includes('FROM author'));
  assert.equal(author.length, 12);
  assert.equal(author[0]?.sql, 'SELECT id, name FROM author WHERE id = ?');
  assert.match(author[0]?.location?.file ?? '', /measure\.test\.ts$/);
  assert.equal(author[0]?.location?.line, lineOf('// the N+1'));
  assert.equal(m.constructions.find((c) => c.className === 'Author')?.count, 12);
  assert.throws(
    () => assertStaysWithin(m, { repeatedQueries: 1 }),
    new RegExp(
      `repeated query: 12 times at .*measure\\.test\\.ts:${lineOf('// the N+1')} \\(budget 1\\)\n {4}SELECT id, name FROM author WHERE id = \\?`,
    ),
  );
  assertStaysWithin(await measure(() => app.inject('/books-joined')), {
    repeatedQueries: 1,
    queries: 1,
    maxRowsPerItem: 1,
  });
});

test('http.request and fetch to a server the test started are served in the measurement', async () => {
  const viaHttp = await measure(
    () =>
      new Promise<string>((resolve) =>
        get(`${base}/books`, (res) => {
          let body = '';
          res.on('data', (chunk) => {
            body += chunk;
          });
          res.on('end', () => resolve(body));
        }),
      ),
  );
  assert.equal(viaHttp.queries.length, 13);
  assert.equal(viaHttp.items, 12);
  assert.deepEqual(viaHttp.httpCalls, [], "the test's own request is not an HTTP call of the app");
  const viaFetch = await measure(async () => (await fetch(`${base}/books-joined`)).json());
  assert.equal(viaFetch.queries.length, 1);
  assert.equal(viaFetch.items, 12);
  assert.deepEqual(viaFetch.httpCalls, []);
});

test("the app's own HTTP calls are recorded with a path template and the line that sent them", async () => {
  const m = await measure(async () => (await fetch(`${base}/with-calls`)).json());
  assert.equal(m.httpCalls.length, 3);
  assert.deepEqual(
    m.httpCalls.map((c) => `${c.method} ${c.path} ${c.status}`),
    ['GET /users/:id 200', 'GET /users/:id 200', 'GET /users/:id 200'],
  );
  const line = lineOf('// call per id');
  assert.match(
    `${m.httpCalls[0]?.location?.file}:${m.httpCalls[0]?.location?.line}`,
    new RegExp(`measure\\.test\\.ts:${line}$`),
  );
  assert.throws(
    () => assertStaysWithin(m, { repeatedHttpCalls: 1 }),
    new RegExp(`repeated HTTP call: 3 times at .*:${line}`),
  );
  assertStaysWithin(m, { httpCalls: 3 });
});

test('socket writes no hook explains are kept as evidence; fetch and http sockets are HTTP', async () => {
  const wire = createNetServer((socket) => socket.on('data', () => socket.end('ok')));
  await new Promise<void>((resolve) => wire.listen(0, '127.0.0.1', resolve));
  try {
    const port = (wire.address() as AddressInfo).port;
    // a client of a protocol culprit does not hook, started lazily in `then` like postgres.js's Query
    class LazyQuery extends Promise<string> {
      // biome-ignore lint/suspicious/noThenProperty: a lazy Promise subclass is the shape under test
      override then<A = string, B = never>(
        resolved?: ((value: string) => A | PromiseLike<A>) | null,
        rejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
      ): Promise<A | B> {
        const socket = connect(port, '127.0.0.1', () => socket.write('SELECT 1'));
        const reply = new Promise<string>((resolve) => socket.on('data', (data) => resolve(String(data))));
        return reply.then(resolved, rejected);
      }
    }
    const lazy = () => new LazyQuery(() => undefined);
    const m = await measure(lazy);
    assert.equal(m.value, 'ok');
    assert.deepEqual(
      m.network?.map((row) => `${row.kind} ${row.remote} ${row.writes}`),
      [`tcp 127.0.0.1:${port} 1`],
      'written in then(), called inside the measurement',
    );
    assert.throws(() => assertStaysWithin(m, { queries: 10 }), /queries not recorded/);
    const viaFetch = await measure(async () => (await fetch(`${base}/books-joined`)).json());
    assert.ok(
      viaFetch.network?.every((row) => row.kind === 'http'),
      JSON.stringify(viaFetch.network),
    );
  } finally {
    wire.close();
  }
});

test('concurrent measurements keep their queries apart', async () => {
  const [a, b] = await Promise.all([
    measure(() => app.inject('/books'), { constructions: true }),
    measure(async () => (await fetch(`${base}/books-joined`)).json(), { constructions: true }),
  ]);
  assert.equal(a.queries.length, 13);
  assert.equal(b.queries.length, 1);
  assert.equal(a.overlapped, true, 'constructions are process-wide: overlapping measurements say so');
});

test('nothing is recorded outside a measurement, and a failing callback still closes its window', async () => {
  await assert.rejects(
    measure(() => {
      throw new Error('boom');
    }),
    /boom/,
  );
  const m = await measure(() => 1);
  assert.equal(m.queries.length, 0);
  assert.equal(m.value, 1);
  db.prepare('SELECT 1').get(); // outside: no scope, dropped
  assert.equal(m.queries.length, 0);
});

test('a construction limit on a measurement that did not count them is a test bug, said as such', async () => {
  const m = await measure(() => app.inject('/books'));
  assert.deepEqual(m.constructions, []);
  assert.throws(
    () => assertStaysWithin(m, { constructions: { Author: 1 } }),
    /did not count them: measure\(fn, \{ constructions: true \}\)/,
  );
});
