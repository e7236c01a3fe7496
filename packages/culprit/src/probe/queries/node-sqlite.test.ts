import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { setQueriesWanted } from '../request-context.js';
import { install } from './node-sqlite.js';
import { eventLog } from './test-support/databases.js';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const hasSqlite = major > 22 || (major === 22 && minor >= 13); // 22.5–22.12 need --experimental-sqlite
const skip = hasSqlite ? undefined : `node:sqlite needs Node >= 22.13 without flags (this is ${process.versions.node})`;

test('node:sqlite statements record SQL, params and exact rows', { skip }, () => {
  const log = eventLog();
  setQueriesWanted(true);
  install(log.record);
  const { DatabaseSync } = createRequire(import.meta.url)('node:sqlite') as {
    DatabaseSync: new (
      path: string,
    ) => {
      exec(sql: string): void;
      prepare(sql: string): {
        all(...a: unknown[]): unknown[];
        get(...a: unknown[]): unknown;
        run(...a: unknown[]): { changes: number | bigint };
      };
      close(): void;
    };
  };
  const db = new DatabaseSync(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT)');
  const insert = db.prepare('INSERT INTO t (k) VALUES (?)');
  for (const k of ['a', 'b', 'b']) insert.run(k);
  assert.equal(db.prepare('SELECT * FROM t WHERE k = ?').all('b').length, 2);
  assert.equal(Number(db.prepare("UPDATE t SET k = 'z'").run().changes), 3);
  db.close();
  assert.deepEqual(
    log.matching(/^INSERT/).map((event) => event.rows),
    [1, 1, 1],
  );
  assert.equal(log.matching(/^SELECT/)[0]?.rows, 2);
  assert.deepEqual(log.matching(/^SELECT/)[0]?.params, ['b']);
  assert.equal(log.matching(/^UPDATE/)[0]?.rows, 3);
  assert.ok(log.events.every((event) => event.driver === 'node:sqlite'));
});
