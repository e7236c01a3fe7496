// A model ORM whose methods run their statement from a callback of another turn (LoopBack's juggler hands the
// connector a callback; the connector calls the driver from it): the driver's stack holds no app frame, and no
// promise chain leads V8's async stack back to the app. The package below is laid out as the juggler's files
// are (DataAccessObject in lib/dao.js, mixed into models later), so the hook finds it where it finds the
// juggler; its statements run on the real better-sqlite3.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isApplicationFrame, runInScope, setQueriesWanted } from '../request-context.js';
import { install as installBetterSqlite3 } from './better-sqlite3.js';
import { install as installJuggler } from './juggler.js';
import { eventLog } from './test-support/databases.js';
import type { RawQueryEvent } from './types.js';

const log = eventLog();
setQueriesWanted(true);
installBetterSqlite3(log.record);
installJuggler();

const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
const root = mkdtempSync(join(tmpdir(), 'culprit-juggler-'));
const lib = join(root, 'node_modules', 'loopback-datasource-juggler', 'lib');
mkdirSync(lib, { recursive: true });
writeFileSync(
  join(root, 'node_modules', 'loopback-datasource-juggler', 'package.json'),
  '{"name":"loopback-datasource-juggler","version":"5.1.0"}',
);
writeFileSync(
  join(lib, 'dao.js'),
  `const Database = require(${JSON.stringify(sqlite)});
const db = new Database(':memory:');
db.exec("CREATE TABLE copies (id INTEGER PRIMARY KEY, book INTEGER, status TEXT)");
db.exec("INSERT INTO copies (book, status) VALUES (1, 'in'), (1, 'out'), (2, 'in')");
module.exports = DataAccessObject;
function DataAccessObject() {}
DataAccessObject.find = function find(filter, options, cb) {
  const done = typeof options === 'function' ? options : cb;
  const promise = new Promise((resolve) => {
    setImmediate(() => resolve(db.prepare('SELECT * FROM copies WHERE book = ?').all(filter.where.book)));
  });
  if (done) promise.then((rows) => done(null, rows));
  return promise;
};
DataAccessObject.findOne = function findOne(filter, options, cb) {
  return this.find(filter, options, cb).then((rows) => rows[0] || null);
};`,
);
const dao = createRequire(join(lib, 'index.js'))('./dao.js') as Model;
// a data source mixes the methods into each model class
const Copy: Model = { find: dao.find, findOne: dao.findOne };

interface Model {
  find(filter: { where: { book: number } }, options?: object, cb?: (error: unknown, rows: unknown[]) => void): unknown;
  findOne(filter: { where: { book: number } }): Promise<unknown>;
}

after(() => rmSync(root, { recursive: true, force: true }));

function appFrame(event: RawQueryEvent | undefined): string | undefined {
  const frame = event?.stack.find((f) => isApplicationFrame(f.url));
  return frame ? `${frame.url.slice(frame.url.lastIndexOf('/') + 1)} ${frame.functionName ?? ''}` : undefined;
}

/** A controller that asks for each item's copies in a callback, as LoopBack 3 code does. */
function copiesOf(book: number): Promise<unknown[]> {
  return new Promise((resolve) => {
    Copy.find({ where: { book } }, {}, (_error, rows) => resolve(rows));
  });
}

test("a model method whose statement runs from the connector's callback names the app's line, in its request", async () => {
  const request = { requestId: 41, queries: [], closed: false };
  const rows = await new Promise<unknown[]>((resolve) => runInScope(request, () => void copiesOf(1).then(resolve)));
  assert.equal(rows.length, 2, 'results unchanged');
  const [select] = log.matching(/^SELECT \* FROM copies WHERE book = \?/);
  assert.equal(select?.scope, request);
  // the executor's arrow inside copiesOf: the line that calls find
  assert.match(appFrame(select) ?? '(none)', /^juggler\.test\.ts /);
});

test('a method that calls another (findOne → find) lends once, from the outer call', async () => {
  const request = { requestId: 42, queries: [], closed: false };
  const first = async (): Promise<unknown> => Copy.findOne({ where: { book: 2 } });
  await new Promise((resolve) => runInScope(request, () => void first().then(resolve)));
  const selects = log.matching(/^SELECT \* FROM copies WHERE book = \?/).filter((event) => event.scope === request);
  assert.equal(selects.length, 1);
  assert.match(appFrame(selects[0]) ?? '(none)', /^juggler\.test\.ts first/);
});
