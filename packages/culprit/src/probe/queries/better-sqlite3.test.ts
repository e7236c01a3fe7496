import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { faultLines } from '../faults.js';
import { setQueriesWanted } from '../request-context.js';
import { install } from './better-sqlite3.js';
import { eventLog, hasFrameIn } from './test-support/databases.js';

const log = eventLog();
setQueriesWanted(true);
install(log.record);
const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');

test('all/get/run/iterate/exec record SQL, params and exact rows', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE cards (id INTEGER PRIMARY KEY, kind TEXT)');
  const insert = db.prepare('INSERT INTO cards (kind) VALUES (?)');
  for (const kind of ['a', 'b', 'b', 'c', 'b']) insert.run(kind);
  assert.equal(db.prepare('SELECT * FROM cards WHERE kind = ?').all('b').length, 3, 'results unchanged');
  assert.deepEqual(db.prepare('SELECT kind FROM cards WHERE id = ?').get(4), { kind: 'c' });
  assert.equal(db.prepare('SELECT kind FROM cards WHERE id = ?').get(99), undefined);
  assert.equal(db.prepare("UPDATE cards SET kind = 'z' WHERE kind = 'b'").run().changes, 3);
  let iterated = 0;
  for (const _row of db.prepare('SELECT id FROM cards').iterate()) iterated += 1;
  assert.equal(iterated, 5);
  db.close();

  assert.equal(log.matching(/^CREATE TABLE/)[0]?.rows, null, 'exec: no rows figure');
  const inserts = log.matching(/^INSERT/);
  assert.equal(inserts.length, 5);
  assert.deepEqual(
    inserts.map((event) => [event.rows, event.params]),
    [
      [1, ['a']],
      [1, ['b']],
      [1, ['b']],
      [1, ['c']],
      [1, ['b']],
    ],
  );
  assert.equal(log.matching(/^SELECT \* FROM cards/)[0]?.rows, 3);
  assert.deepEqual(
    log.matching(/^SELECT kind/).map((event) => event.rows),
    [1, 0],
  );
  assert.equal(log.matching(/^UPDATE/)[0]?.rows, 3);
  assert.equal(log.matching(/^SELECT id FROM cards/)[0]?.rows, 5);
  assert.ok(log.events.every((event) => event.driver === 'better-sqlite3'));
  assert.ok(hasFrameIn(log.matching(/^UPDATE/)[0], 'better-sqlite3.test.ts'));
});

test('parameters bound ahead of the call are recorded (as the adapter of Prisma 7 does)', () => {
  const db = new Database(':memory:');
  db.exec("CREATE TABLE bound (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO bound VALUES (1, 'x'), (2, 'y')");
  for (const id of [1, 2]) {
    assert.deepEqual(db.prepare('SELECT v FROM bound WHERE id = ?').bind([id]).raw().all(), [[id === 1 ? 'x' : 'y']]);
  }
  db.close();
  assert.deepEqual(
    log.matching(/^SELECT v FROM bound/).map((event) => [event.rows, event.params]),
    [
      [1, [[1]]],
      [1, [[2]]],
    ],
  );
});

test('a failing statement throws the same error and is recorded', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
  const statement = db.prepare('INSERT INTO t (id) VALUES (?)');
  statement.run(1);
  assert.throws(() => statement.run(1), { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
  const failed = log.matching(/^INSERT INTO t /).at(-1);
  assert.match(failed?.error ?? '', /UNIQUE constraint failed/);
  db.close();
});

test('an iterator closed early is recorded with the rows pulled', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE n (v INTEGER); INSERT INTO n VALUES (1), (2), (3), (4)');
  for (const _row of db.prepare('SELECT v FROM n ORDER BY v').iterate()) break;
  assert.equal(log.matching(/^SELECT v FROM n/)[0]?.rows, 1, 'one row pulled before the break');
  db.close();
});

test('a failing recorder never reaches the app: results stand, the fault is counted', () => {
  install(() => {
    throw new Error('recorder broke');
  });
  try {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE f (v INTEGER); INSERT INTO f VALUES (1), (2)');
    assert.deepEqual(db.prepare('SELECT v FROM f ORDER BY v').all(), [{ v: 1 }, { v: 2 }]);
    db.close();
    assert.ok(faultLines().some((line) => /^better-sqlite3 record: \d+× \(first: recorder broke\)/.test(line)));
  } finally {
    install(log.record);
  }
});

test('rows read: bytes from the first row × rows, wide columns named (objects, raw arrays, get, iterate)', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT, body TEXT, image BLOB)');
  const insert = db.prepare('INSERT INTO docs (title, body, image) VALUES (?, ?, ?)');
  for (let i = 0; i < 30; i++) insert.run(`doc ${i}`, 'b'.repeat(3000), Buffer.alloc(1500));
  db.prepare('SELECT * FROM docs').all();
  db.prepare('SELECT id, body FROM docs WHERE id < 5').raw().all();
  db.prepare('SELECT * FROM docs WHERE id = ?').get(1);
  for (const _row of db.prepare('SELECT title, body FROM docs /* iterated */').iterate()) {
  }
  db.prepare('SELECT id, title FROM docs').all();
  db.prepare('SELECT * FROM docs WHERE id > 100').all();
  db.close();
  const [all] = log.matching(/^SELECT \* FROM docs$/);
  assert.deepEqual(all?.read, {
    bytes: 30 * (8 + 'doc 0'.length + 3000 + 1500),
    wide: [
      { name: 'body', bytes: 3000 },
      { name: 'image', bytes: 1500 },
    ],
    narrow: ['id', 'title'],
  });
  assert.deepEqual(log.matching(/^SELECT id, body/)[0]?.read?.wide, [{ name: 'body', bytes: 3000 }]);
  assert.equal(log.matching(/^SELECT \* FROM docs WHERE id = \?/)[0]?.read?.bytes, 8 + 5 + 3000 + 1500);
  assert.equal(log.matching(/iterated/)[0]?.read?.bytes, 30 * (5 + 3000));
  assert.equal(log.matching(/^SELECT id, title/)[0]?.read?.wide, undefined);
  assert.equal(log.matching(/id > 100/)[0]?.read, undefined, 'no row, no estimate');
});
