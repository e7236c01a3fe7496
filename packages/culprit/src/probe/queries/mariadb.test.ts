import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import type * as MariadbCallback from 'mariadb/callback';
import { runInScope, setQueriesWanted } from '../request-context.js';
import { startEsmHooks } from './esm-hook.js';
import { explainStatements } from './explain-registry.js';
import { install, mariadbRows } from './mariadb.js';
import { normalizeSql } from './normalize-sql.js';
import { eventLog, hasFrameIn, MARIADB, uniqueTable, unreachable } from './test-support/databases.js';

const skip = await unreachable('MariaDB', MARIADB.host, MARIADB.port);
const log = eventLog();
setQueriesWanted(true);
install(log.record); // before mariadb loads, as the preloaded probe would be
startEsmHooks();
// `import` gets the ES modules (lib/), `require` the minified CommonJS bundles (dist/): all are hooked
const esm = await import('mariadb');
const require = createRequire(import.meta.url);
const cjs = require('mariadb') as typeof esm;
const callbackApi = require('mariadb/callback') as typeof MariadbCallback;
const table = uniqueTable('mariadb');
const options = { ...MARIADB, connectionLimit: 2, multipleStatements: true };
let pool: import('mariadb').Pool;

before(async () => {
  if (skip) return;
  pool = esm.createPool(options);
  await pool.query(`CREATE TABLE ${table} (id int primary key, name varchar(20))`);
});

after(async () => {
  if (skip) return;
  await pool.query(`DROP TABLE IF EXISTS ${table}`);
  await pool.end();
});

test('ES modules, promise pool: SQL, params, rows and the caller frame', { skip }, async () => {
  await pool.query(`INSERT INTO ${table} VALUES (?, ?), (?, ?), (?, ?), (?, ?)`, [1, 'a', 2, 'b', 3, 'c', 4, 'd']);
  const rows = await pool.query(`SELECT * FROM ${table} WHERE id > ?`, [1]);
  assert.equal(rows.length, 3, 'results reach the app unchanged');
  const [insert] = log.matching(/^INSERT INTO culprit_mariadb/);
  assert.equal(insert?.driver, 'mariadb');
  assert.equal(insert?.rows, 4);
  const [select] = log.matching(/^SELECT \* FROM culprit_mariadb/);
  assert.equal(select?.rows, 3);
  assert.deepEqual(select?.params, [1]);
  assert.ok((select?.durationMs ?? -1) >= 0);
  assert.ok(hasFrameIn(select, 'mariadb.test.ts'));
  const connection = await pool.getConnection();
  try {
    await connection.execute(`SELECT name FROM ${table} WHERE id <= ? /* prepared */`, [2]);
  } finally {
    await connection.release();
  }
  const [prepared] = log.matching(/prepared/);
  assert.equal(prepared?.rows, 2);
  assert.ok(hasFrameIn(prepared, 'mariadb.test.ts'), 'a connection from the pool is hooked too');
});

test('CommonJS bundle, promise connection: UPDATE, several statements, errors', { skip }, async () => {
  const connection = await cjs.createConnection(options);
  try {
    const result = await connection.query(`UPDATE ${table} SET name = 'z' WHERE id < 3`);
    assert.equal(result.affectedRows, 2);
    assert.equal(log.matching(/^UPDATE culprit_mariadb/)[0]?.rows, 2);
    await connection.query(`SELECT id FROM ${table} WHERE id = 1; SELECT id FROM ${table} WHERE id > 1 /* two */`);
    assert.equal(log.matching(/two/)[0]?.rows, 4);
    await assert.rejects(connection.query(`SELECT nope FROM ${table}`), /Unknown column 'nope'/);
    const [failed] = log.matching(/^SELECT nope/);
    assert.match(failed?.error ?? '', /Unknown column 'nope'/);
    assert.equal(failed?.rows, null);
    assert.ok(hasFrameIn(failed, 'mariadb.test.ts'));
  } finally {
    await connection.end();
  }
});

test('CommonJS bundle, callback pool: rows and the caller frame', { skip }, async () => {
  const callbackPool = callbackApi.createPool(options);
  try {
    const rows = await new Promise<unknown[]>((resolve, reject) =>
      callbackPool.query(`SELECT id FROM ${table} /* callback */`, (error, result) =>
        error ? reject(error) : resolve(result as unknown[]),
      ),
    );
    assert.equal(rows.length, 4);
    const [seen] = log.matching(/callback \*\//);
    assert.equal(seen?.rows, 4);
    assert.ok(hasFrameIn(seen, 'mariadb.test.ts'));
  } finally {
    await new Promise((resolve) => callbackPool.end(resolve));
  }
});

test('queries queued in the pool keep their own request and caller (40 at once through 2 connections)', {
  skip,
}, async () => {
  const scope = { requestId: 83, queries: [], closed: false };
  async function loadEachItem(): Promise<void> {
    await Promise.all(
      Array.from({ length: 40 }, (_, id) => pool.query(`SELECT name FROM ${table} WHERE id = ? /* queued */`, [id])),
    );
  }
  await runInScope(scope, loadEachItem);
  const queued = log.matching(/queued/);
  assert.equal(queued.length, 40);
  assert.equal(queued.filter((event) => event.scope === scope).length, 40, 'every one in its request');
  assert.equal(queued.filter((event) => hasFrameIn(event, 'mariadb.test.ts')).length, 40, 'every one with its caller');
});

test('a statement seen in a request can be explained through its pool', { skip }, async () => {
  const scope = { requestId: 84, queries: [], closed: false };
  await runInScope(scope, () => pool.query(`SELECT name FROM ${table} WHERE name = ? /* plan me */`, ['a']));
  const [seen] = log.matching(/plan me/);
  assert.ok(seen);
  const before = log.events.length;
  const [result] = await explainStatements([normalizeSql(seen.sql)]);
  assert.equal(result?.error, undefined);
  assert.match(result?.plan?.join('\n') ?? '', /table=culprit_mariadb\S* type=ALL/);
  assert.equal(log.events.length, before, 'the EXPLAIN is not one of the app queries');
});

test('the plan of a table read whole says what share of its rows the filter kept (ANALYZE runs it once more)', {
  skip,
}, async () => {
  const scope = { requestId: 85, queries: [], closed: false };
  const kept = uniqueTable('mariadb_kept');
  await pool.query(`CREATE TABLE ${kept} (id int primary key, status varchar(10))`);
  try {
    const rows = Array.from({ length: 200 }, (_, i) => [i, i % 50 === 0 ? 'gone' : 'active']);
    await pool.batch(`INSERT INTO ${kept} VALUES (?, ?)`, rows);
    await runInScope(scope, () =>
      pool.query(`SELECT id FROM ${kept} WHERE status = ? /* how many kept */`, ['active']),
    );
    const [seen] = log.matching(/how many kept/);
    assert.ok(seen);
    const [result] = await explainStatements([normalizeSql(seen.sql)]);
    assert.match(result?.plan?.join('\n') ?? '', /type=ALL .*r_filtered=98(?:\.0+)? /);
    const [again] = await pool.query(`SELECT count(*) AS n FROM ${kept}`);
    assert.equal(Number(again.n), 200, 'running it again changed nothing');
  } finally {
    await pool.query(`DROP TABLE IF EXISTS ${kept}`);
  }
});

test('rows of results: a result set, an OkPacket, several statements', () => {
  const rows = Object.defineProperty([{ id: 1 }, { id: 2 }], 'meta', { value: [] });
  assert.equal(mariadbRows(rows), 2);
  assert.equal(mariadbRows({ affectedRows: 3, insertId: 0n, warningStatus: 0 }), 3);
  assert.equal(mariadbRows([rows, { affectedRows: 5 }]), 7);
  assert.equal(mariadbRows(undefined), null);
});
