// mysql2 under culprit/register (recording only inside recorded requests): its TracingChannels are
// subscribed only while a recorded request is open, so the queries of the requests outside the sample run
// mysql2's untraced path; a query inside a recorded request is recorded once, as under the probe.
import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import {
  closeScope,
  openScope,
  type RequestScope,
  setQueriesWanted,
  setScopedOnly,
  setScopesOnDemand,
} from '../request-context.js';
import { install } from './mysql2.js';
import { eventLog, MARIADB, uniqueTable, unreachable } from './test-support/databases.js';

const skip = await unreachable('MariaDB', MARIADB.host, MARIADB.port);
const log = eventLog();
setScopedOnly(true);
setQueriesWanted(true);
setScopesOnDemand(true);
install(log.record);
const mysql = createRequire(import.meta.url)('mysql2/promise') as typeof import('mysql2/promise');
const table = uniqueTable('m2s');
const traced = () => dc.tracingChannel('mysql2:query').hasSubscribers;
let pool: import('mysql2/promise').Pool;

before(async () => {
  if (skip) return;
  pool = mysql.createPool({ ...MARIADB, connectionLimit: 1 });
  await pool.query(`CREATE TABLE ${table} (id int primary key)`);
  await pool.query(`INSERT INTO ${table} VALUES (1), (2)`);
});

after(async () => {
  if (skip) return;
  await pool.query(`DROP TABLE IF EXISTS ${table}`);
  await pool.end();
});

test('mysql2 is traced only while a recorded request is open', { skip }, async () => {
  assert.equal(traced(), false, 'no recorded request: untraced');
  await pool.query(`SELECT id FROM ${table} WHERE id = 1`);
  const scope: RequestScope = { requestId: 1, startedAt: 0, queries: [], closed: false };
  await new Promise<void>((resolve, reject) =>
    setImmediate(() => {
      openScope(scope);
      assert.equal(traced(), true);
      pool.query(`SELECT id FROM ${table} WHERE id = 2`).then(() => resolve(), reject);
    }),
  );
  closeScope(scope);
  assert.equal(traced(), false, 'the last recorded request closed');
  await pool.query(`SELECT id FROM ${table} WHERE id > 0`);
  assert.deepEqual(
    log.matching(/^SELECT id FROM culprit_m2s/).map((event) => event.sql.replace(table, 't')),
    ['SELECT id FROM t WHERE id = 2'],
    'the query inside the recorded request, once',
  );
});
