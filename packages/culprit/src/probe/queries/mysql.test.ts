import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import type * as Mysql from 'mysql';
import { runInScope, setQueriesWanted } from '../request-context.js';
import { explainStatements } from './explain-registry.js';
import { install } from './mysql.js';
import { normalizeSql } from './normalize-sql.js';
import { eventLog, hasFrameIn, MARIADB, uniqueTable, unreachable } from './test-support/databases.js';

const skip = await unreachable('MariaDB', MARIADB.host, MARIADB.port);
const log = eventLog();
setQueriesWanted(true);
install(log.record); // before mysql loads, as the preloaded probe would be
const mysql = createRequire(import.meta.url)('mysql') as typeof Mysql;
const table = uniqueTable('mysqljs');
let pool: Mysql.Pool;

function run(on: Mysql.Pool | Mysql.Connection, sql: string, values?: unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) =>
    on.query(sql, values ?? [], (error, results) => (error ? reject(error) : resolve(results))),
  );
}

before(async () => {
  if (skip) return;
  pool = mysql.createPool({ ...MARIADB, connectionLimit: 2, multipleStatements: true });
  await run(pool, `CREATE TABLE ${table} (id int primary key, name varchar(20))`);
  await run(pool, `INSERT INTO ${table} VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')`);
});

after(async () => {
  if (skip) return;
  await run(pool, `DROP TABLE IF EXISTS ${table}`);
  await new Promise((resolve) => pool.end(resolve));
});

test('pool.query: SQL with values inlined, rows and the caller frame', { skip }, async () => {
  const rows = await run(pool, `SELECT * FROM ${table} WHERE id > ?`, [1]);
  assert.equal((rows as unknown[]).length, 3, 'results reach the app unchanged');
  const [insert] = log.matching(/^INSERT INTO culprit_mysqljs/);
  assert.equal(insert?.rows, 4);
  assert.equal(insert?.driver, 'mysql');
  const [select] = log.matching(/^SELECT \* FROM culprit_mysqljs/);
  assert.equal(select?.rows, 3);
  assert.match(select?.sql ?? '', /id > 1$/, 'mysql formats values into the text');
  assert.deepEqual(select?.params, [1]);
  assert.ok((select?.durationMs ?? -1) >= 0);
  assert.ok(hasFrameIn(select, 'mysql.test.ts'), 'pool stack carries the caller');
});

test('connection: UPDATE counts affected rows, several statements sum, errors are recorded', { skip }, async () => {
  const connection = mysql.createConnection({ ...MARIADB, multipleStatements: true });
  try {
    const result = (await run(connection, `UPDATE ${table} SET name = 'z' WHERE id < 3`)) as { affectedRows: number };
    assert.equal(result.affectedRows, 2);
    assert.equal(log.matching(/^UPDATE culprit_mysqljs/)[0]?.rows, 2);
    await run(connection, `SELECT id FROM ${table} WHERE id = 1; SELECT id FROM ${table} WHERE id > 1 /* two */`);
    assert.equal(log.matching(/two/)[0]?.rows, 4);
    await assert.rejects(run(connection, `SELECT nope FROM ${table}`), /Unknown column 'nope'/);
    const [failed] = log.matching(/^SELECT nope/);
    assert.match(failed?.error ?? '', /Unknown column 'nope'/);
    assert.equal(failed?.rows, null);
    assert.ok(hasFrameIn(failed, 'mysql.test.ts'));
  } finally {
    connection.end();
  }
});

test('streaming (event) mode: rows counted from result events', { skip }, async () => {
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    pool
      .query(`SELECT id FROM ${table} ORDER BY id /* streamed */`)
      .on('result', () => {
        seen += 1;
      })
      .on('error', reject)
      .on('end', () => resolve());
  });
  assert.equal(seen, 4);
  assert.equal(log.matching(/streamed/)[0]?.rows, 4);
});

test('queries queued in the pool keep their own request and caller (40 at once through 2 connections)', {
  skip,
}, async () => {
  const scope = { requestId: 81, queries: [], closed: false };
  async function loadEachItem(): Promise<void> {
    await Promise.all(
      Array.from({ length: 40 }, (_, id) => run(pool, `SELECT name FROM ${table} WHERE id = ? /* queued */`, [id])),
    );
  }
  await runInScope(scope, loadEachItem);
  const queued = log.matching(/queued/);
  assert.equal(queued.length, 40);
  assert.equal(queued.filter((event) => event.scope === scope).length, 40, 'every one in its request');
  assert.equal(queued.filter((event) => hasFrameIn(event, 'mysql.test.ts')).length, 40, 'every one with its caller');
});

test('a statement seen in a request can be explained through its connection', { skip }, async () => {
  const scope = { requestId: 82, queries: [], closed: false };
  await runInScope(scope, () => run(pool, `SELECT name FROM ${table} WHERE name = ? /* plan me */`, ['a']));
  const [seen] = log.matching(/plan me/);
  assert.ok(seen);
  const before = log.events.length;
  const [result] = await explainStatements([normalizeSql(seen.sql)]);
  assert.equal(result?.error, undefined);
  assert.match(result?.plan?.join('\n') ?? '', /table=culprit_mysqljs\S* type=ALL/);
  assert.equal(log.events.length, before, 'the EXPLAIN is not one of the app queries');
});
