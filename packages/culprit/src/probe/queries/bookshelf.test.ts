// An ORM whose model methods chain bluebird promises down to Knex: the statement runs from bluebird's
// scheduler, with no application frame on the stack nor on V8's async one. The package below is laid out as
// Bookshelf's files are (lib/model.js, lib/collection.js, on the bluebird next to it), so the hook finds it
// where it finds Bookshelf; its queries run on the real Knex.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { isApplicationFrame, runInScope, setQueriesWanted } from '../request-context.js';
import { install as installBetterSqlite3 } from './better-sqlite3.js';
import { install as installBookshelf } from './bookshelf.js';
import { install as installKnex } from './knex.js';
import { eventLog } from './test-support/databases.js';
import type { RawQueryEvent } from './types.js';

const log = eventLog();
setQueriesWanted(true);
installBetterSqlite3(log.record);
installKnex();
installBookshelf();

const requireHere = createRequire(import.meta.url);
const root = mkdtempSync(join(tmpdir(), 'culprit-shelf-'));
const lib = join(root, 'node_modules', 'bookshelf', 'lib');
mkdirSync(lib, { recursive: true });
symlinkSync(dirname(requireHere.resolve('bluebird/package.json')), join(root, 'node_modules', 'bluebird'));
writeFileSync(join(root, 'node_modules', 'bookshelf', 'package.json'), '{"name":"bookshelf","version":"1.2.0"}');
writeFileSync(
  join(lib, 'model.js'),
  `const Promise = require('bluebird');
class Model {
  constructor(knex, tableName) { this.knex = knex; this.tableName = tableName; }
  // a plugin's override calls the method below it, as Bookshelf's plugins do
  fetchAll() { return this.fetchPage(); }
  fetchPage() {
    return Promise.resolve()
      .then(() => Promise.delay(1))
      .then(() => this.knex(this.tableName).select());
  }
}
module.exports = Model;`,
);
writeFileSync(join(lib, 'collection.js'), 'class Collection { fetch() { return []; } }\nmodule.exports = Collection;');
const Model = createRequire(join(lib, 'index.js'))('./model.js') as new (knex: KnexLike, table: string) => Shelf;
const knexFactory = requireHere('knex') as (config: object) => KnexLike;
const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });

interface KnexLike {
  (table: string): unknown;
  raw: (sql: string) => Promise<unknown>;
  destroy: () => Promise<void>;
}
interface Shelf {
  fetchAll: () => PromiseLike<unknown[]>;
}

await knex.raw('CREATE TABLE shelves (id INTEGER PRIMARY KEY, label TEXT)');
await knex.raw("INSERT INTO shelves (label) VALUES ('fiction'), ('poetry')");

after(async () => {
  await knex.destroy();
  rmSync(root, { recursive: true, force: true });
});

function appFrame(event: RawQueryEvent | undefined): string | undefined {
  const frame = event?.stack.find((f) => isApplicationFrame(f.url));
  return frame ? `${frame.url.slice(frame.url.lastIndexOf('/') + 1)} ${frame.functionName ?? ''}` : undefined;
}

function listShelves(): PromiseLike<unknown[]> {
  return new Model(knex, 'shelves').fetchAll();
}

test("a model's statement run from bluebird's scheduler names the app line that called the model, in its request", async () => {
  const request = { requestId: 41, queries: [], closed: false };
  const rows = await new Promise<unknown[]>((done, failed) => {
    runInScope(request, () => {
      listShelves().then(done, failed);
    });
  });
  assert.equal(rows.length, 2, 'results unchanged');
  const [select] = log.matching(/^select \* from `shelves`/);
  assert.equal(select?.scope, request);
  assert.match(appFrame(select) ?? '(none)', /^bookshelf\.test\.ts .*listShelves/);
});
