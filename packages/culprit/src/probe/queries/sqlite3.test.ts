import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { runInScope, setQueriesWanted } from '../request-context.js';
import { explainStatements } from './explain-registry.js';
import { normalizeSql } from './normalize-sql.js';
import { install } from './sqlite3.js';
import { eventLog, hasFrameIn } from './test-support/databases.js';

const log = eventLog();
setQueriesWanted(true);
install(log.record); // before sqlite3 loads, as the preloaded probe would be
const sqlite3 = createRequire(import.meta.url)('sqlite3') as typeof import('sqlite3');

function call<T>(run: (done: (error: Error | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value))));
}

test('all/get/run/each record SQL, params, exact rows and the caller; results reach the app unchanged', async () => {
  const db = new sqlite3.Database(':memory:');
  await call((done) => db.run('CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER, status TEXT)', done));
  const changes = await new Promise<number>((resolve, reject) =>
    db.run(
      'INSERT INTO orders (customer, status) VALUES (?, ?), (?, ?), (?, ?)',
      [1, 'open', 1, 'closed', 2, 'open'],
      function (this: { changes: number }, error: Error | null) {
        if (error) reject(error);
        else resolve(this.changes);
      },
    ),
  );
  assert.equal(changes, 3, "run's this.changes still reaches the app");
  const rows = await call<unknown[]>((done) => db.all('SELECT * FROM orders WHERE status = ?', 'open', done));
  assert.equal(rows.length, 2);
  assert.deepEqual(await call((done) => db.get('SELECT status FROM orders WHERE id = ?', [2], done)), {
    status: 'closed',
  });
  let seen = 0;
  await call<number>((done) =>
    db.each(
      'SELECT id FROM orders',
      () => {
        seen++;
      },
      done,
    ),
  );
  assert.equal(seen, 3);
  await assert.rejects(
    call((done) => db.all('SELECT nope FROM orders', done)),
    /no such column/,
  );
  db.close();

  const [insert] = log.matching(/^INSERT INTO orders/);
  assert.equal(insert?.rows, 3);
  assert.deepEqual(insert?.params, [1, 'open', 1, 'closed', 2, 'open']);
  const [all] = log.matching(/^SELECT \* FROM orders/);
  assert.equal(all?.rows, 2);
  assert.deepEqual(all?.params, ['open']);
  assert.equal(all?.driver, 'sqlite3');
  assert.ok(hasFrameIn(all, 'sqlite3.test.ts'), 'the caller frame is kept');
  assert.equal(log.matching(/^SELECT status/)[0]?.rows, 1);
  assert.equal(log.matching(/^SELECT id FROM orders/)[0]?.rows, 3);
  assert.match(log.matching(/^SELECT nope/)[0]?.error ?? '', /no such column/);
});

test('a statement run inside a request can be explained afterwards through the same database', async () => {
  const db = new sqlite3.Database(':memory:');
  await call((done) => db.run('CREATE TABLE events (id INTEGER PRIMARY KEY, venue INTEGER)', done));
  const sql = 'SELECT * FROM events WHERE venue = ?';
  await runInScope({ requestId: 1, queries: [], closed: false }, () => call((done) => db.all(sql, [3], done)));
  const [result] = await explainStatements([normalizeSql(sql)]);
  assert.ok(
    result?.plan?.some((line) => /SCAN events/.test(line)),
    JSON.stringify(result),
  );
  db.close();
});
