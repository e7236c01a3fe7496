/**
 * Plans through the app's own connections: for each driver, a SELECT run
 * inside a request leaves a way to EXPLAIN it afterwards, with its own
 * parameters; a statement never seen in a request has none.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { runInScope, setQueriesWanted } from '../request-context.js';
import { install as installBetterSqlite } from './better-sqlite3.js';
import { explainStatements, isRead, rememberPlan, unusableKeyNotes } from './explain-registry.js';
import { install as installMysql } from './mysql2.js';
import { normalizeSql } from './normalize-sql.js';
import { install as installPg } from './pg.js';
import { eventLog, MARIADB, POSTGRES, uniqueTable, unreachable } from './test-support/databases.js';

const log = eventLog();
setQueriesWanted(true);
installPg(log.record);
installMysql(log.record);
installBetterSqlite(log.record);
const require = createRequire(import.meta.url);
const noPostgres = await unreachable('PostgreSQL', POSTGRES.host, POSTGRES.port);
const noMariadb = await unreachable('MariaDB', MARIADB.host, MARIADB.port);
const scope = () => ({ requestId: 1, queries: [], closed: false });
const pgTable = uniqueTable('plan_pg');
const myTable = uniqueTable('plan_my');
let pgPool: import('pg').Pool;
let myPool: import('mysql2/promise').Pool;

before(async () => {
  if (!noPostgres) {
    const pg = require('pg') as typeof import('pg');
    pgPool = new pg.Pool({ ...POSTGRES, max: 1 });
    await pgPool.query(`CREATE TABLE ${pgTable} (id int primary key, brand text, price int)`);
  }
  if (!noMariadb) {
    const mysql = require('mysql2/promise') as typeof import('mysql2/promise');
    myPool = mysql.createPool({ ...MARIADB, connectionLimit: 1 });
    await myPool.query(
      `CREATE TABLE ${myTable} (id int primary key, actor varchar(20), created_at int, ref varchar(24), UNIQUE KEY ${myTable}_ref (ref))`,
    );
  }
});

after(async () => {
  if (pgPool) {
    await pgPool.query(`DROP TABLE IF EXISTS ${pgTable}`);
    await pgPool.end();
  }
  if (myPool) {
    await myPool.query(`DROP TABLE IF EXISTS ${myTable}`);
    await myPool.end();
  }
});

test('PostgreSQL: a sequential scan, explained with the statement parameters', { skip: noPostgres }, async () => {
  const sql = `SELECT * FROM ${pgTable} WHERE brand = $1 ORDER BY price LIMIT 20`;
  await runInScope(scope(), () => pgPool.query(sql, ['acme']));
  const [result] = await explainStatements([normalizeSql(sql)]);
  assert.ok(
    result?.plan?.some((line) => line.includes(`Seq Scan on ${pgTable}`)),
    JSON.stringify(result),
  );
});

test('PostgreSQL: a client closed since it ran the statement (a pool reaps idle clients) explains through a new one of the same settings', {
  skip: noPostgres,
}, async () => {
  const pg = require('pg') as typeof import('pg');
  const client = new pg.Client(POSTGRES);
  await client.connect();
  const sql = `SELECT * FROM ${pgTable} WHERE price > $1 /* closed */`;
  await runInScope(scope(), () => client.query(sql, [10]));
  await client.end();
  const [result] = await explainStatements([normalizeSql(sql)]);
  assert.ok(
    result?.plan?.some((line) => line.includes(`Seq Scan on ${pgTable}`)),
    JSON.stringify(result),
  );
});

test('MariaDB: type ALL for a filter on a column without an index', { skip: noMariadb }, async () => {
  const sql = `SELECT * FROM ${myTable} WHERE actor = ? ORDER BY created_at LIMIT 50`;
  await runInScope(scope(), () => myPool.query(sql, ['u123']));
  const [result] = await explainStatements(
    [log.matching(new RegExp(`FROM ${myTable}`))[0]?.sql ?? ''].map(normalizeSql),
  );
  assert.ok(
    result?.plan?.some((line) => line.includes(`table=${myTable}`) && line.includes('type=ALL')),
    JSON.stringify(result),
  );
});

test('an UPDATE and a DELETE that find their rows by a WHERE are explained, not run again; an INSERT is not explained', {
  skip: noMariadb || noPostgres,
}, async () => {
  await myPool.query(`INSERT INTO ${myTable} (id, actor, created_at, ref) VALUES (1, 'a', 1, 'r1'), (2, 'b', 2, 'r2')`);
  const update = `UPDATE ${myTable} SET created_at = created_at + 1 WHERE actor = ?`;
  await runInScope(scope(), () => myPool.query(update, ['a']));
  const [myUpdate] = await explainStatements([normalizeSql(log.matching(/^UPDATE /)[0]?.sql ?? '')]);
  assert.ok(
    myUpdate?.plan?.some((line) => line.includes(`table=${myTable}`) && /type=(?:ALL|index) .*Using where/.test(line)),
    JSON.stringify(myUpdate),
  );
  const [rows] = (await myPool.query(`SELECT created_at FROM ${myTable} WHERE id = 1`)) as unknown as [
    Array<{ created_at: number }>,
  ];
  assert.equal(rows[0]?.created_at, 2, 'the UPDATE ran once: EXPLAIN did not run it');
  const remove = `DELETE FROM ${pgTable} WHERE brand = $1`;
  await runInScope(scope(), () => pgPool.query(remove, ['gone']));
  const [pgDelete] = await explainStatements([normalizeSql(remove)]);
  assert.ok(
    pgDelete?.plan?.some((line) => line.includes(`Seq Scan on ${pgTable}`)),
    JSON.stringify(pgDelete),
  );
  const insert = `INSERT INTO ${pgTable} (id, brand, price) VALUES ($1, $2, $3)`;
  await runInScope(scope(), () => pgPool.query(insert, [99, 'x', 1]));
  const [pgInsert] = await explainStatements([normalizeSql(insert)]);
  assert.equal(pgInsert?.plan, undefined);
  await myPool.query(`DELETE FROM ${myTable}`);
});

test('MariaDB: a varchar key compared with a number leaves a note that the key could not be used, without the value', {
  skip: noMariadb,
}, async () => {
  const sql = `SELECT id FROM ${myTable} WHERE ref = ?`;
  await runInScope(scope(), () => myPool.query(sql, [612345]));
  const [result] = await explainStatements([normalizeSql(log.matching(/WHERE ref = /)[0]?.sql ?? '')]);
  const note = result?.plan?.find((line) => line.startsWith('note=unusable-key'));
  assert.equal(
    note,
    `note=unusable-key key=${myTable}_ref of=${myTable} column=ref column_type=varchar value_type=int`,
    JSON.stringify(result),
  );
  assert.ok(!result?.plan?.some((line) => line.includes('612345')), 'the parameter value stays out of the plan');
});

test("the notes of an unusable key read from MariaDB's and MySQL's wording; other warnings are left out", () => {
  const rows = [
    {
      Level: 'Note',
      Code: 1105,
      Message:
        'Cannot use key `uq_ref` part[0] for lookup: `shop`.`posts`.`legacy_ref` of type `varchar` = "61 2" of type `double`',
    },
    {
      Level: 'Warning',
      Code: 1739,
      Message: "Cannot use ref access on index 'idx_code' due to type or collation conversion on field 'code'",
    },
    { Level: 'Note', Code: 1003, Message: 'select `shop`.`posts`.`id` AS `id` from `shop`.`posts`' },
  ];
  assert.deepEqual(unusableKeyNotes(rows), [
    'note=unusable-key key=uq_ref of=posts column=legacy_ref column_type=varchar value_type=double',
    'note=unusable-key key=idx_code column=code',
  ]);
  assert.deepEqual(unusableKeyNotes('not rows'), []);
});

test('SQLite: SCAN from better-sqlite3, through the statement database', async () => {
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(':memory:');
  db.exec('CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER, status TEXT)');
  const sql = 'SELECT * FROM orders WHERE customer = ? AND status = ?';
  runInScope(scope(), () => db.prepare(sql).all(7, 'open'));
  const [result] = await explainStatements([normalizeSql(sql)]);
  assert.ok(
    result?.plan?.some((line) => /SCAN orders/.test(line)),
    JSON.stringify(result),
  );
  db.close();
});

test('a statement never run inside a request has no plan, and says why', async () => {
  const [result] = await explainStatements(['SELECT nothing FROM nowhere']);
  assert.equal(result?.plan, undefined);
  assert.match(result?.error ?? '', /not seen/);
});

test('isRead tells reads as the pattern it stands for does', () => {
  const pattern = /^\s*\(?\s*(select|with)\b/i;
  for (const sql of [
    'SELECT 1',
    'select * from t',
    '  \n\tSeLeCt x',
    '(SELECT 1) UNION (SELECT 2)',
    '( with x as (select 1) select * from x',
    'WITH',
    'select',
    'selected',
    'select_x',
    'select1',
    'with(',
    'UPDATE t SET a = 1',
    'INSERT INTO t SELECT 1',
    '((select 1))',
    '',
    ' ',
    '(',
    'EXPLAIN SELECT 1',
    '\u3000\u00a0select 1',
    '\u200bselect 1',
  ]) {
    assert.equal(isRead(sql), pattern.test(sql), JSON.stringify(sql));
  }
});

test('the newest plan of a statement is used; past the last 512 reads a statement is forgotten, oldest first', async () => {
  const plan = (line: string) => () => Promise.resolve([line]);
  rememberPlan('SELECT 1 FROM kept_first', plan('first, older'));
  rememberPlan('SELECT 1 FROM kept_first', plan('first, newest')); // a repeat replaces the newest slot
  for (let i = 0; i < 511; i++) rememberPlan(`SELECT ${i} FROM filler`, plan(`filler ${i}`));
  rememberPlan('UPDATE filler SET n = 1', plan('never: a write')); // writes take no slot
  const [first, write] = await explainStatements([
    normalizeSql('SELECT 1 FROM kept_first'),
    normalizeSql('UPDATE filler SET n = 1'),
  ]);
  assert.deepEqual(first?.plan, ['first, newest'], '512 reads remembered, the first of them still there');
  assert.equal(write?.plan, undefined);
  rememberPlan('SELECT 1 FROM pushes_out', plan('new'));
  const [gone, filler] = await explainStatements([
    normalizeSql('SELECT 1 FROM kept_first'),
    normalizeSql('SELECT 9 FROM filler'),
  ]);
  assert.equal(gone?.plan, undefined, 'the 513th read overwrote the oldest');
  assert.deepEqual(filler?.plan, ['filler 510'], 'statements of one shape: the newest plan');
});
