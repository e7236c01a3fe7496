// The rows-read sampling on the current mysql2. Its other cases (pool, callback, streaming, queueing,
// errors) run on this and two older versions in test-support/mysql2-cases.ts (mysql2-current.test.ts).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { setQueriesWanted } from '../request-context.js';
import { install } from './mysql2.js';
import { eventLog, MARIADB, uniqueTable, unreachable } from './test-support/databases.js';

const skip = await unreachable('MariaDB', MARIADB.host, MARIADB.port);
const log = eventLog();
setQueriesWanted(true);
install(log.record); // before mysql2 loads, as the preloaded probe would be
const require = createRequire(import.meta.url);
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
