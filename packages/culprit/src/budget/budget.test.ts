import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RequestRecord } from '../capture/types.js';
import { checkBudget } from './check-budget.js';
import { assertWithinBudget } from './measure-request.js';

const record: RequestRecord = {
  id: 1,
  method: 'GET',
  url: '/api/ephemera/1/',
  status: 200,
  wallMs: 12,
  cpuMs: 10,
  bytes: 100,
  queries: [
    { driver: 'pg', sql: 'SELECT ?', durationMs: 1, rows: 5000 },
    { driver: 'pg', sql: 'SELECT ?', durationMs: 1, rows: 1 },
  ],
  constructions: [
    { className: 'Ephemeron', count: 5001 },
    { className: 'Person', count: 2 },
  ],
};

test('each broken limit is reported with what was allowed and what happened', () => {
  assert.deepEqual(checkBudget(record, { queries: 5, rows: 100, constructions: { Ephemeron: 10, Person: 5 } }), [
    { limit: 'rows', allowed: 100, actual: 5001 },
    { limit: 'Ephemeron constructions', allowed: 10, actual: 5001 },
  ]);
  assert.deepEqual(checkBudget(record, { constructions: 5000 }), [
    { limit: 'constructions', allowed: 5000, actual: 5003 },
  ]);
  assert.deepEqual(checkBudget(record, { queries: 2, rows: 5001, wallMs: 12 }), []);
});

test('SQL limits fail when the request wrote to a socket and no driver hook recorded a query', () => {
  const unhooked = {
    ...record,
    queries: [],
    constructions: [],
    network: [
      { remote: '10.0.0.7:27017', kind: 'tcp' as const, writes: 4, bytes: 310, connects: 1 },
      { remote: '127.0.0.1:8080', kind: 'http' as const, writes: 1, bytes: 90, connects: 0 },
    ],
    databaseClients: ['mongodb'],
  };
  const [violation, ...rest] = checkBudget(unhooked, { repeatedQueries: 1 });
  assert.equal(rest.length, 0);
  assert.equal(violation?.limit, 'queries not recorded');
  assert.equal(violation?.actual, 4, 'the unexplained writes; the HTTP call is recorded on its own');
  assert.match(violation?.statement ?? '', /10\.0\.0\.7:27017 \(4 writes, 310 bytes\).*loaded clients: mongodb/);
  assert.doesNotMatch(violation?.statement ?? '', /8080/);
  assert.deepEqual(checkBudget(unhooked, { httpCalls: 1, wallMs: 100 }), [], 'no limit on SQL: nothing to doubt');
  const onlyHttp = { ...unhooked, network: unhooked.network.filter((row) => row.kind === 'http') };
  assert.deepEqual(checkBudget(onlyHttp, { queries: 0 }), [], 'HTTP alone is no sign of a database');
  assert.deepEqual(checkBudget({ ...unhooked, queries: record.queries }, { queries: 5 }), [], 'some SQL was seen');
});

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const app = join(repo, 'packages/ephemera/src/app.ts');
let dir = '';
let db = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'culprit-budget-'));
  db = join(dir, 'archive.sqlite');
  await promisify(execFile)(process.execPath, [
    join(repo, 'packages/ephemera/bin/ephemera.js'),
    'seed',
    '--count',
    '500',
    '--db',
    db,
  ]);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const budget = { constructions: { Ephemeron: 10 }, rows: 100 };
const storyRequest = 'GET /api/ephemera/300/?img=2&expand=~all';

test('the story request stays within budget on clean code', async () => {
  const measured = await assertWithinBudget(
    { app, request: storyRequest, env: { EPHEMERA_DB: db, EPHEMERA_INCIDENT: '0' } },
    budget,
  );
  assert.equal(measured.status, 200);
});

test('the leftover debug code breaks the budget, and the message says where the rows came from', async () => {
  await assert.rejects(
    assertWithinBudget({ app, request: storyRequest, env: { EPHEMERA_DB: db, EPHEMERA_INCIDENT: '1' } }, budget),
    (error: Error) => {
      assert.match(error.message, /Ephemeron constructions: 501 \(budget 10\)/);
      assert.match(error.message, /largest query: 500 rows from .*queryset\.ts:\d+/);
      return true;
    },
  );
});
