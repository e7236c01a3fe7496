import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import type { Sql } from 'postgres';
import { runInScope, setQueriesWanted } from '../request-context.js';
import { startEsmHooks } from './esm-hook.js';
import { explainStatements } from './explain-registry.js';
import { install, postgresRows } from './postgres.js';
import { eventLog, hasFrameIn, POSTGRES, uniqueTable, unreachable } from './test-support/databases.js';

const skip = await unreachable('PostgreSQL', POSTGRES.host, POSTGRES.port);
const log = eventLog();
setQueriesWanted(true);
install(log.record); // before postgres.js loads, as the preloaded probe would be
startEsmHooks();
// `import` gets the ES module build (src/), `require` the CommonJS one (cjs/src/): both are hooked
const esm = (await import('postgres')).default;
const cjs = createRequire(import.meta.url)('postgres') as typeof esm;
const table = uniqueTable('pgjs');
const options = { ...POSTGRES, max: 2, onnotice: () => {} };
let sql: Sql;
let sqlCjs: Sql;

before(async () => {
  if (skip) return;
  sql = esm(options);
  sqlCjs = cjs(options);
  await sql.unsafe(`CREATE TABLE ${table} (id int primary key, name text)`);
});

after(async () => {
  if (skip) return;
  await sql.unsafe(`DROP TABLE IF EXISTS ${table}`);
  await Promise.all([sql.end(), sqlCjs.end()]);
});

test('ESM build: tagged queries record SQL, params, rows and the line that wrote them', { skip }, async () => {
  await sql.unsafe(`INSERT INTO ${table} VALUES ($1, $2), ($3, $4), ($5, $6)`, [1, 'a', 2, 'b', 3, 'c']);
  const rows = await sql`SELECT * FROM ${sql(table)} WHERE id >= ${2}`;
  assert.equal(rows.length, 2, 'results reach the app unchanged');
  const [insert] = log.matching(/^INSERT INTO culprit_pgjs/);
  assert.equal(insert?.driver, 'postgres');
  assert.equal(insert?.rows, 3);
  assert.deepEqual(insert?.params?.map(String), ['1', 'a', '2', 'b', '3', 'c']);
  const [select] = log.matching(/^SELECT \* FROM "culprit_pgjs/);
  assert.equal(select?.rows, 2);
  assert.match(select?.sql ?? '', /id >= \$1$/);
  assert.ok((select?.durationMs ?? -1) >= 0);
  assert.ok(hasFrameIn(select, 'postgres.test.ts'), 'the stack at construction holds the caller');
});

test('CommonJS build: UPDATE counts affected rows; errors reject as before and are recorded', { skip }, async () => {
  const updated = await sqlCjs`UPDATE ${sqlCjs(table)} SET name = 'z' WHERE id < ${3}`;
  assert.equal(updated.count, 2);
  const [update] = log.matching(/^UPDATE "culprit_pgjs/);
  assert.equal(update?.rows, 2);
  assert.ok(hasFrameIn(update, 'postgres.test.ts'));
  await assert.rejects(sqlCjs`SELECT nope FROM ${sqlCjs(table)}`, /column "nope" does not exist/);
  const [failed] = log.matching(/^SELECT nope/);
  assert.match(failed?.error ?? '', /column "nope" does not exist/);
  assert.equal(failed?.rows, null);
});

test('a query built but never run, or used as a fragment, is not recorded', { skip }, async () => {
  const before = log.events.length;
  const unused = sql`SELECT 1 AS never_run`;
  const fragment = sql`WHERE id = ${1}`;
  const rows = await sql`SELECT id FROM ${sql(table)} ${fragment} /* with fragment */`;
  assert.equal(rows.length, 1);
  assert.ok(unused instanceof Promise);
  const added = log.events.slice(before);
  assert.deepEqual(
    added.map((event) => event.sql.includes('with fragment')),
    [true],
    'only the executed statement',
  );
});

test('queries queued on the connections keep their own request and caller (30 at once through 2)', {
  skip,
}, async () => {
  const scope = { requestId: 79, queries: [], closed: false };
  async function loadEachItem(): Promise<void> {
    await Promise.all(
      Array.from({ length: 30 }, (_, id) => sql`SELECT id FROM ${sql(table)} WHERE id = ${id} /* queued */`),
    );
  }
  await runInScope(scope, loadEachItem);
  const queued = log.matching(/queued/);
  assert.equal(queued.length, 30);
  assert.equal(queued.filter((event) => event.scope === scope).length, 30, 'every one in its request');
  assert.equal(queued.filter((event) => hasFrameIn(event, 'postgres.test.ts')).length, 30, 'every one with its caller');
});

test('a statement seen in a request can be explained through the same sql instance', { skip }, async () => {
  const scope = { requestId: 80, queries: [], closed: false };
  await runInScope(scope, async () => sql`SELECT name FROM ${sql(table)} WHERE name = ${'a'} /* plan me */`);
  const [seen] = log.matching(/plan me/);
  assert.ok(seen);
  const { normalizeSql } = await import('./normalize-sql.js');
  const before = log.events.length;
  const [result] = await explainStatements([normalizeSql(seen.sql)]);
  assert.equal(result?.error, undefined);
  assert.match(result?.plan?.join('\n') ?? '', /Seq Scan on culprit_pgjs/);
  assert.equal(log.events.length, before, 'the EXPLAIN is not one of the app queries');
});

// a fresh connection first asks the server for its array types (fetch_types): the connection's query, not the request's
for (const [build, name] of [
  [() => esm, 'ES modules'],
  [() => cjs, 'CommonJS'],
] as const) {
  test(`${name}: the connect-time pg_type lookup is not one of the request's queries`, { skip }, async () => {
    const fresh = build()({ ...options, max: 1 });
    const scope = { requestId: name.length + 500, queries: [], closed: false };
    const from = log.events.length;
    try {
      await runInScope(scope, async function firstRequest() {
        await fresh`SELECT 1 AS first_query`;
      });
    } finally {
      await fresh.end();
    }
    const added = log.events.slice(from);
    assert.deepEqual(
      added.map((event) => event.sql.trim().split(/\s+/).slice(0, 4).join(' ')),
      ['SELECT 1 AS first_query'],
      'only the app query',
    );
    assert.equal(added[0]?.scope, scope);
  });
}

test('rows of results: count, several statements, and values without a count', () => {
  const result = Object.assign([{ id: 1 }, { id: 2 }], { count: 2, command: 'SELECT' });
  assert.equal(postgresRows(result), 2);
  const insert = Object.assign([], { count: 5, command: 'INSERT' });
  const multi = [insert, Object.assign([{ a: 1 }], { count: 1, command: 'SELECT' })];
  assert.equal(postgresRows(multi), 6);
  assert.equal(postgresRows(Object.assign([], { count: null, command: 'BEGIN' })), 0);
  assert.equal(postgresRows({ string: 'a statement' }), null);
});

test('a SELECT records the bytes its rows read and names the wide columns', { skip }, async () => {
  const docs = `${table}_docs`;
  await sql.unsafe(`CREATE TABLE ${docs} (id int primary key, title text, body text)`);
  try {
    await sql.unsafe(`INSERT INTO ${docs} SELECT i, 'title ' || i, repeat('y', 4000) FROM generate_series(1, 25) i`);
    await sql`SELECT * FROM ${sql(docs)} ORDER BY id`;
    await sql`SELECT id, body FROM ${sql(docs)} WHERE id < 3`.values();
    const [all] = log.matching(/^SELECT \* FROM "culprit_pgjs\w*_docs"/);
    assert.equal(all?.rows, 25);
    assert.deepEqual(all?.read, {
      bytes: 25 * (8 + 'title 1'.length + 4000),
      wide: [{ name: 'body', bytes: 4000 }],
      narrow: ['id', 'title'],
    });
    const [values] = log.matching(/^SELECT id, body FROM/);
    assert.deepEqual(values?.read?.wide, [{ name: 'body', bytes: 4000 }], '.values() rows named by columns');
  } finally {
    await sql.unsafe(`DROP TABLE IF EXISTS ${docs}`);
  }
});
