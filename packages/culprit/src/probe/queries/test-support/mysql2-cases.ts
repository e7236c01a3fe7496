/**
 * The mysql2 hook's cases, run against each mysql2 generation: the current one
 * (TracingChannels) and the old ones the fixtures install (fixtures/mysql2-*),
 * which are patched instead. Every statement must be recorded exactly once.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { runInScope, setQueriesWanted } from '../../request-context.js';
import { explainStatements } from '../explain-registry.js';
import { install } from '../mysql2.js';
import { normalizeSql } from '../normalize-sql.js';
import { eventLog, hasFrameIn, MARIADB, uniqueTable, unreachable } from './databases.js';

type Mysql = typeof import('mysql2');
type MysqlPromise = typeof import('mysql2/promise');

/** The app frame every query's stack must hold: the statements are issued from this file. */
const caller = 'mysql2-cases.ts';

/**
 * Registers the cases for the mysql2 that `from` (a file beside its node_modules)
 * resolves, which must be version `expected` when given: a fixture whose own
 * node_modules is missing would otherwise test the root's current mysql2.
 */
export async function mysql2Cases(from: string, expected?: string): Promise<void> {
  const skip = await unreachable('MariaDB', MARIADB.host, MARIADB.port);
  const log = eventLog();
  setQueriesWanted(true);
  install(log.record); // before mysql2 loads, as the preloaded probe would be
  const require = createRequire(from);
  const mysql = require('mysql2') as Mysql;
  const mysqlPromise = require('mysql2/promise') as MysqlPromise;
  // package.json is not among every version's exports: read it beside the main file (index.js)
  const manifest = join(dirname(require.resolve('mysql2')), 'package.json');
  const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  if (expected !== undefined && version !== expected) {
    throw new Error(
      `mysql2 ${expected} expected beside ${from}, found ${version}: run npm install at the repository root`,
    );
  }
  const table = uniqueTable('m2c');
  let pool: import('mysql2/promise').Pool;
  const once = (pattern: RegExp) => {
    const found = log.matching(pattern);
    assert.equal(found.length, 1, `${pattern} recorded once by mysql2 ${version}, got ${found.length}`);
    return found[0];
  };

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

  test(`mysql2 ${version}: promise pool query and execute record rows, params and the caller`, { skip }, async () => {
    const [rows] = await pool.query(`SELECT * FROM ${table} WHERE id > ?`, [1]);
    assert.equal((rows as unknown[]).length, 3, 'results reach the app unchanged');
    const [executed] = await pool.execute(`SELECT name FROM ${table} WHERE id <= ?`, [2]);
    assert.equal((executed as unknown[]).length, 2);
    assert.equal(once(/^INSERT INTO culprit_m2c/)?.rows, 4);
    const query = once(/^SELECT \* FROM culprit_m2c/);
    assert.equal(query?.rows, 3);
    assert.equal(query?.driver, 'mysql2');
    assert.match(query?.sql ?? '', /id > 1$/, 'query() sends client-formatted SQL');
    assert.ok(hasFrameIn(query, caller), 'pool stack carries the caller');
    const execute = once(/^SELECT name FROM culprit_m2c/);
    assert.equal(execute?.rows, 2);
    assert.deepEqual(execute?.params, [2]);
    assert.ok(hasFrameIn(execute, caller));
  });

  test(`mysql2 ${version}: callback connection query, execute, affected rows and errors`, { skip }, async () => {
    const connection = mysql.createConnection(MARIADB);
    try {
      const affected = await new Promise<number>((resolve, reject) =>
        connection.query(`UPDATE ${table} SET name = 'z' WHERE id < 3`, (error, result) =>
          error ? reject(error) : resolve((result as { affectedRows: number }).affectedRows),
        ),
      );
      assert.equal(affected, 2);
      assert.equal(once(/^UPDATE culprit_m2c/)?.rows, 2);
      const rows = await new Promise<unknown[]>((resolve, reject) =>
        connection.execute(`SELECT id FROM ${table} WHERE id >= ? /* cb-execute */`, [2], (error, result) =>
          error ? reject(error) : resolve(result as unknown[]),
        ),
      );
      assert.equal(rows.length, 3);
      const execute = once(/cb-execute/);
      assert.equal(execute?.rows, 3);
      assert.ok(hasFrameIn(execute, caller), 'the callback connection names its caller');
      await new Promise<void>((resolve) => connection.query(`SELECT nope FROM ${table}`, () => resolve()));
      const failed = once(/^SELECT nope/);
      assert.match(failed?.error ?? '', /Unknown column 'nope'/);
      assert.equal(failed?.rows, null);
      await new Promise<void>((resolve) => connection.execute(`SELECT nada FROM ${table}`, [], () => resolve()));
      assert.match(once(/^SELECT nada/)?.error ?? '', /Unknown column 'nada'/, 'a failed prepare is recorded');
    } finally {
      connection.end();
    }
  });

  test(`mysql2 ${version}: promise connection and a rejected statement`, { skip }, async () => {
    const connection = await mysqlPromise.createConnection(MARIADB);
    try {
      const [rows] = await connection.query(`SELECT id FROM ${table} /* promise-conn */`);
      assert.equal((rows as unknown[]).length, 4);
      assert.equal(once(/promise-conn/)?.rows, 4);
      await assert.rejects(connection.execute(`SELECT missing FROM ${table}`), /Unknown column/);
      assert.match(once(/^SELECT missing/)?.error ?? '', /Unknown column 'missing'/);
    } finally {
      await connection.end();
    }
  });

  test(`mysql2 ${version}: event-emitter mode counts rows from result events`, { skip }, async () => {
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
      assert.equal(once(/^SELECT id FROM culprit_m2c\S* ORDER BY id$/)?.rows, 4);
    } finally {
      connection.end();
    }
  });

  test(`mysql2 ${version}: 50 queries queued in a pool of 2 keep their request and caller`, { skip }, async () => {
    const scope = { requestId: 78, queries: [], closed: false };
    async function loadEachItem(): Promise<void> {
      await Promise.all(
        Array.from({ length: 50 }, (_, id) => pool.query(`SELECT name FROM ${table} WHERE id = ? /* queued */`, [id])),
      );
    }
    await runInScope(scope, loadEachItem);
    const queued = log.matching(/queued/);
    assert.equal(queued.length, 50);
    assert.equal(queued.filter((event) => event.scope === scope).length, 50, 'every one in its request');
    assert.equal(queued.filter((event) => hasFrameIn(event, caller)).length, 50, 'every one with its caller');
  });

  test(`mysql2 ${version}: statements run in a request are explained, query() and execute() alike`, {
    skip,
  }, async () => {
    const scope = { requestId: 79, queries: [], closed: false };
    await runInScope(scope, async () => {
      await pool.query(`SELECT id FROM ${table} WHERE name = ? /* plan-query */`, ['a']);
      await pool.execute(`SELECT id FROM ${table} WHERE name = ? /* plan-execute */`, ['b']);
    });
    const sqls = [once(/plan-query/)?.sql ?? '', once(/plan-execute/)?.sql ?? ''];
    const plans = await explainStatements(sqls.map(normalizeSql));
    for (const result of plans) {
      assert.ok(
        result.plan?.some((line) => line.includes(`table=${table}`) && line.includes('type=ALL')),
        JSON.stringify(result),
      );
    }
  });

  test(`mysql2 ${version}: nothing is recorded when no trace wants queries`, { skip }, async () => {
    setQueriesWanted(false);
    try {
      await pool.query(`SELECT 1 /* unwanted */`);
    } finally {
      setQueriesWanted(true);
    }
    assert.equal(log.matching(/unwanted/).length, 0);
  });
}
