import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { runInScope, setQueriesWanted } from '../request-context.js';
import { install } from './mysql2.js';
import { eventLog, hasFrameIn, MARIADB, uniqueTable, unreachable } from './test-support/databases.js';

const skip = await unreachable('MariaDB', MARIADB.host, MARIADB.port);
const log = eventLog();
setQueriesWanted(true);
install(log.record); // before mysql2 loads, as the preloaded probe would be
const require = createRequire(import.meta.url);
const mysql = require('mysql2') as typeof import('mysql2');
const mysqlPromise = require('mysql2/promise') as typeof import('mysql2/promise');
const table = uniqueTable('my');
let pool: import('mysql2/promise').Pool;

before(async () => {
  if (skip) return;
  pool = mysqlPromise.createPool({ ...MARIADB, connectionLimit: 2 });
  await pool.query(`CREATE TABLE ${table} (id int primary key, name varchar(20))`);
  await pool.query(`INSERT INTO ${table} VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')`);
});

after(async () => {
  if (skip) return;
  await pool.query(`DROP TABLE IF EXISTS ${table}`);
  await pool.end();
});

test('promise pool: query and execute record rows and the caller frame', { skip }, async () => {
  const [rows] = await pool.query(`SELECT * FROM ${table} WHERE id > ?`, [1]);
  assert.equal((rows as unknown[]).length, 3, 'results reach the app unchanged');
  await pool.execute(`SELECT name FROM ${table} WHERE id <= ?`, [2]);
  const [insert] = log.matching(/^INSERT INTO culprit_my/);
  assert.equal(insert?.rows, 4);
  const [query] = log.matching(/^SELECT \* FROM culprit_my/);
  assert.equal(query?.rows, 3);
  assert.equal(query?.driver, 'mysql2');
  assert.match(query?.sql ?? '', /id > 1$/, 'query() sends client-formatted SQL');
  assert.ok(hasFrameIn(query, 'mysql2.test.ts'), 'pool stack carries the caller');
  const [execute] = log.matching(/^SELECT name FROM culprit_my/);
  assert.equal(execute?.rows, 2);
  assert.deepEqual(execute?.params, [2]);
  assert.ok(hasFrameIn(execute, 'mysql2.test.ts'));
});

test('callback connection: UPDATE counts affected rows, errors are recorded', { skip }, async () => {
  const connection = mysql.createConnection(MARIADB);
  try {
    const affected = await new Promise<number>((resolve, reject) =>
      connection.query(`UPDATE ${table} SET name = 'z' WHERE id < 3`, (error, result) =>
        error ? reject(error) : resolve((result as { affectedRows: number }).affectedRows),
      ),
    );
    assert.equal(affected, 2);
    assert.equal(log.matching(/^UPDATE culprit_my/)[0]?.rows, 2);
    await new Promise<void>((resolve) => connection.query(`SELECT nope FROM ${table}`, () => resolve()));
    const [failed] = log.matching(/^SELECT nope/);
    assert.match(failed?.error ?? '', /Unknown column 'nope'/);
    assert.equal(failed?.rows, null);
  } finally {
    connection.end();
  }
});

test('event-emitter (streaming) mode: rows counted from result events', { skip }, async () => {
  const connection = mysql.createConnection(MARIADB);
  try {
    let seen = 0;
    await new Promise<void>((resolve, reject) => {
      connection
        .query(`SELECT id FROM ${table} ORDER BY id`)
        .on('result', () => {
          seen += 1;
        })
        .on('error', reject)
        .on('end', () => resolve());
    });
    assert.equal(seen, 4);
    assert.equal(log.matching(/^SELECT id FROM culprit_my/)[0]?.rows, 4);
  } finally {
    connection.end();
  }
});

test('queries queued in the pool keep their own request and caller (50 at once through 2 connections)', {
  skip,
}, async () => {
  const scope = { requestId: 77, queries: [], closed: false };
  async function loadEachItem(): Promise<void> {
    await Promise.all(
      Array.from({ length: 50 }, (_, id) => pool.query(`SELECT name FROM ${table} WHERE id = ? /* queued */`, [id])),
    );
  }
  await runInScope(scope, loadEachItem);
  const queued = log.matching(/queued/);
  assert.equal(queued.length, 50);
  assert.equal(queued.filter((event) => event.scope === scope).length, 50, 'every one in its request');
  assert.equal(queued.filter((event) => hasFrameIn(event, 'mysql2.test.ts')).length, 50, 'every one with its caller');
});

test('a SELECT records the bytes its rows read and names the wide columns', { skip }, async () => {
  const docs = `${table}_docs`;
  await pool.query(`CREATE TABLE ${docs} (id int primary key, title varchar(40), body mediumtext)`);
  try {
    for (let id = 1; id <= 20; id++)
      await pool.query(`INSERT INTO ${docs} VALUES (?, ?, ?)`, [id, `t${id}`, 'z'.repeat(2500)]);
    await pool.query(`SELECT * FROM ${docs}`);
    await pool.execute(`SELECT id, title FROM ${docs} WHERE id > ?`, [0]);
    const [all] = log.matching(new RegExp(`^SELECT \\* FROM ${docs}`));
    assert.equal(all?.rows, 20);
    assert.deepEqual(all?.read, {
      bytes: 20 * (8 + 2 + 2500),
      wide: [{ name: 'body', bytes: 2500 }],
      narrow: ['id', 'title'],
    });
    const [narrow] = log.matching(new RegExp(`^SELECT id, title FROM ${docs}`));
    assert.equal(narrow?.read?.wide, undefined);
    assert.equal(narrow?.read?.bytes, 20 * (8 + 2));
  } finally {
    await pool.query(`DROP TABLE IF EXISTS ${docs}`);
  }
});
