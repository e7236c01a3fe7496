import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import type { Pool as PgPool } from 'pg';
import { type RequestScope, recordQuery, runInScope, setQueriesWanted } from '../request-context.js';
import { explainStatements } from './explain-registry.js';
import { normalizeSql } from './normalize-sql.js';
import { install } from './pg.js';
import { eventLog, hasFrameIn, POSTGRES, uniqueTable, unreachable } from './test-support/databases.js';

const skip = await unreachable('PostgreSQL', POSTGRES.host, POSTGRES.port);
const log = eventLog();
setQueriesWanted(true);
install(log.record); // before pg loads, as the preloaded probe would be
const pg = createRequire(import.meta.url)('pg') as typeof import('pg');
const table = uniqueTable('pg');
let pool: PgPool;

before(async () => {
  if (skip) return;
  pool = new pg.Pool({ ...POSTGRES, max: 2 });
  await pool.query(`CREATE TABLE ${table} (id int primary key, name text)`);
});

after(async () => {
  if (skip) return;
  await pool.query(`DROP TABLE IF EXISTS ${table}`);
  await pool.end();
});

test('pool.query (promise): SQL, params, rows and the caller frame', { skip }, async () => {
  await pool.query(`INSERT INTO ${table} VALUES ($1, $2), ($3, $4), ($5, $6)`, [1, 'a', 2, 'b', 3, 'c']);
  const result = await pool.query(`SELECT * FROM ${table} WHERE id >= $1`, [2]);
  assert.equal(result.rows.length, 2, 'results reach the app unchanged');
  const [insert] = log.matching(/^INSERT INTO culprit_pg/);
  const [select] = log.matching(/^SELECT \* FROM culprit_pg/);
  assert.equal(insert?.rows, 3);
  assert.deepEqual(insert?.params, [1, 'a', 2, 'b', 3, 'c']);
  assert.equal(select?.rows, 2);
  assert.equal(select?.driver, 'pg');
  assert.ok((select?.durationMs ?? -1) >= 0);
  assert.ok(hasFrameIn(select, 'pg.test.ts'), 'pool stack carries the caller');
});

test('client.query with a callback, a config object and an UPDATE', { skip }, async () => {
  const client = await pool.connect();
  try {
    const rows = await new Promise<number>((resolve, reject) =>
      client.query({ text: `UPDATE ${table} SET name = $1 WHERE id < $2`, values: ['z', 3] }, (error, result) =>
        error ? reject(error) : resolve(result.rowCount ?? -1),
      ),
    );
    assert.equal(rows, 2);
    const [update] = log.matching(/^UPDATE culprit_pg/);
    assert.equal(update?.rows, 2);
    assert.ok(hasFrameIn(update, 'pg.test.ts'));
  } finally {
    client.release();
  }
});

test('a failing query rejects as before and is recorded with its error', { skip }, async () => {
  await assert.rejects(pool.query(`SELECT nope FROM ${table}`), /column "nope" does not exist/);
  const [failed] = log.matching(/^SELECT nope/);
  assert.match(failed?.error ?? '', /column "nope" does not exist/);
  assert.equal(failed?.rows, null);
});

test('an empty SELECT counts 0 rows, not null', { skip }, async () => {
  await pool.query(`SELECT id FROM ${table} WHERE id > 100`);
  assert.equal(log.matching(/^SELECT id FROM culprit_pg/)[0]?.rows, 0);
});

test('queries queued in the pool keep their own request and caller (30 at once through 2 clients)', {
  skip,
}, async () => {
  const scope = { requestId: 78, queries: [], closed: false };
  async function loadEachItem(): Promise<void> {
    await Promise.all(
      Array.from({ length: 30 }, (_, id) => pool.query(`SELECT id FROM ${table} WHERE id = $1 /* queued */`, [id])),
    );
  }
  await runInScope(scope, loadEachItem);
  const queued = log.matching(/queued/);
  assert.equal(queued.length, 30);
  assert.equal(queued.filter((event) => event.scope === scope).length, 30, 'every one in its request');
  assert.equal(queued.filter((event) => hasFrameIn(event, 'pg.test.ts')).length, 30, 'every one with its caller');
});

test('a query issued outside any request, on a client opened inside one, never joins that request', {
  skip,
}, async () => {
  // a startup migration (Sequelize's sync) takes a pooled connection a request opened: the
  // connection's socket completes every query in the request's context, whoever issued it
  const scope: RequestScope = { requestId: 91, queries: [], closed: false };
  const client = await runInScope(scope, async () => {
    const opened = new pg.Client(POSTGRES);
    await opened.connect();
    return opened;
  });
  try {
    await client.query('SELECT 1 AS startup_migration');
    const [event] = log.matching(/startup_migration/);
    assert.ok(event, 'recorded by the hook');
    assert.equal(event.scope, null, 'issued outside any request, and the event says so');
    runInScope(scope, () => recordQuery(event));
    assert.equal(scope.queries.length, 0, 'not claimed by the request whose context it finished in');
  } finally {
    await client.end();
  }
});

test('a SELECT records the bytes its rows read and names the wide columns, never their values', { skip }, async () => {
  const docs = `${table}_docs`;
  await pool.query(`CREATE TABLE ${docs} (id int primary key, title text, body text, image bytea)`);
  try {
    await pool.query(
      `INSERT INTO ${docs} SELECT i, 'title ' || i, repeat('x', 5000), decode(repeat('ab', 2000), 'hex') FROM generate_series(1, 40) i`,
    );
    await pool.query(`SELECT * FROM ${docs} ORDER BY id`);
    await pool.query({ text: `SELECT id, body FROM ${docs} WHERE id <= 3`, rowMode: 'array' });
    await pool.query(`SELECT id, title FROM ${docs}`);
    const [all] = log.matching(/^SELECT \* FROM culprit_pg\w*_docs/);
    assert.equal(all?.rows, 40);
    assert.deepEqual(all?.read?.wide, [
      { name: 'body', bytes: 5000 },
      { name: 'image', bytes: 2000 },
    ]);
    assert.deepEqual(all?.read?.narrow, ['id', 'title']);
    const perRow = 5000 + 2000 + 8 + 'title 1'.length;
    assert.equal(all?.read?.bytes, perRow * 40, 'first row × rows');
    assert.ok(!JSON.stringify(all?.read).includes('xxxx'), 'no value is kept');
    const [arrayRows] = log.matching(/^SELECT id, body FROM/);
    assert.deepEqual(arrayRows?.read?.wide, [{ name: 'body', bytes: 5000 }], 'array rows named by fields');
    const [narrow] = log.matching(/^SELECT id, title FROM/);
    assert.equal(narrow?.read?.wide, undefined, 'no wide column');
    assert.ok((narrow?.read?.bytes ?? 0) > 0 && (narrow?.read?.bytes ?? 0) < 40 * 100);
  } finally {
    await pool.query(`DROP TABLE IF EXISTS ${docs}`);
  }
});

test("a plan asked for after the statement's client closed is read on a new client with that client's search_path", {
  skip,
}, async () => {
  // pg-promise's `schema` option sets the search_path on each new connection; a pool closes idle clients, so a
  // request that ran longer than the idle timeout asks for its plans after the client is gone
  const schema = `${table}_tenant`;
  await pool.query(`CREATE SCHEMA ${schema}`);
  await pool.query(`CREATE TABLE ${schema}.shifts (id int primary key, staff int)`);
  try {
    const client = new pg.Client(POSTGRES);
    await client.connect();
    const sql = 'SELECT id FROM shifts WHERE staff = $1 /* tenant */';
    await runInScope({ requestId: 97, queries: [], closed: false }, async () => {
      await client.query(`SET search_path TO ${schema}`);
      await client.query(sql, [4]);
    });
    await client.end();
    const [result] = await explainStatements([normalizeSql(sql)]);
    assert.equal(result?.error, undefined);
    assert.match(result?.plan?.join('\n') ?? '', /Scan on shifts/);
  } finally {
    await pool.query(`DROP SCHEMA ${schema} CASCADE`);
  }
});
