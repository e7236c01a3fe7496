// An ORM whose query builder is a thenable made in the app's code and run later from its then(): it makes its
// Knex query only inside an async execute(). A service that returns the builder unawaited from an async
// function has it run from the promise job that adopts the thenable, with no application frame on the stack.
// The package below is laid out as Objection's files are (the factory on QueryBuilderOperationSupport, execute
// on QueryBuilder), so the hook finds it where it finds Objection; its queries run on the real Knex.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isApplicationFrame, runInScope, setQueriesWanted } from '../request-context.js';
import { install as installBetterSqlite3 } from './better-sqlite3.js';
import { install as installKnex } from './knex.js';
import { install as installObjection } from './objection.js';
import { eventLog } from './test-support/databases.js';
import type { RawQueryEvent } from './types.js';

const log = eventLog();
setQueriesWanted(true);
installBetterSqlite3(log.record);
installKnex();
installObjection();

const root = mkdtempSync(join(tmpdir(), 'culprit-orm-'));
const lib = join(root, 'node_modules', 'objection', 'lib', 'queryBuilder');
mkdirSync(lib, { recursive: true });
writeFileSync(join(root, 'node_modules', 'objection', 'package.json'), '{"name":"objection","version":"3.1.0"}');
writeFileSync(
  join(lib, 'QueryBuilderOperationSupport.js'),
  `class QueryBuilderOperationSupport {
  constructor(modelClass) { this.modelClass = modelClass; this.filter = undefined; this.related = undefined; }
  static forClass(modelClass) { return new this(modelClass); }
}
module.exports = { QueryBuilderOperationSupport };`,
);
writeFileSync(
  join(lib, 'QueryBuilder.js'),
  `const { QueryBuilderOperationSupport } = require('./QueryBuilderOperationSupport.js');
class QueryBuilder extends QueryBuilderOperationSupport {
  where(column, value) { this.filter = [column, value]; return this; }
  withRelated(modelClass, column) { this.related = [modelClass, column]; return this; }
  then(...args) { return this.execute().then(...args); }
  async execute() {
    await null;
    let query = this.modelClass.knex(this.modelClass.tableName);
    if (this.filter) query = query.where(...this.filter);
    const rows = await query;
    if (this.related) {
      // the relation's rows, by a builder the ORM makes itself inside the execution
      const [modelClass, column] = this.related;
      await QueryBuilder.forClass(modelClass).where(column, rows[0] ? rows[0].id : 0);
    }
    return rows;
  }
}
module.exports = { QueryBuilder };`,
);
const requireHere = createRequire(import.meta.url);
const requireOrm = createRequire(join(lib, 'index.js'));
const { QueryBuilder } = requireOrm('./QueryBuilder.js') as { QueryBuilder: BuilderClass };
const knexFactory = requireHere('knex') as (config: object) => KnexLike;
const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });

interface KnexLike {
  (table: string): unknown;
  raw: (sql: string) => Promise<unknown>;
  destroy: () => Promise<void>;
}
interface Builder extends PromiseLike<unknown[]> {
  where: (column: string, value: unknown) => Builder;
  withRelated: (model: Model, column: string) => Builder;
}
interface BuilderClass {
  forClass: (model: Model) => Builder;
}
interface Model {
  knex: KnexLike;
  tableName: string;
}

const decks: Model = { knex, tableName: 'decks' };
const cards: Model = { knex, tableName: 'cards' };
await knex.raw('CREATE TABLE decks (id INTEGER PRIMARY KEY, name TEXT)');
await knex.raw('CREATE TABLE cards (id INTEGER PRIMARY KEY, deck INTEGER, face TEXT)');
await knex.raw("INSERT INTO decks (name) VALUES ('red'), ('blue')");
await knex.raw("INSERT INTO cards (deck, face) VALUES (1, 'ace'), (1, 'king'), (2, 'queen')");

after(async () => {
  await knex.destroy();
  rmSync(root, { recursive: true, force: true });
});

/** The first application frame of a statement, as the probe will name it: file and function. */
function appFrame(event: RawQueryEvent | undefined): string | undefined {
  const frame = event?.stack.find((f) => isApplicationFrame(f.url));
  return frame ? `${frame.url.slice(frame.url.lastIndexOf('/') + 1)} ${frame.functionName ?? ''}` : undefined;
}

class DeckService {
  // returned unawaited: the caller's await adopts the thenable, and execute() runs from that promise job
  listDecks = async (): Promise<unknown[]> => QueryBuilder.forClass(decks).where('name', 'blue');
  deckWithCards = async (): Promise<unknown[]> =>
    QueryBuilder.forClass(decks).where('name', 'red').withRelated(cards, 'deck');
}

/**
 * A route handler that chains on the service's promise (`.then`), as callback-style routers do, its result
 * handed on from a plain callback: no async function awaits the chain, so V8's async stack names none.
 */
function route<T>(
  request: { requestId: number; queries: never[]; closed: boolean },
  call: () => Promise<T>,
): Promise<T> {
  return new Promise((done, failed) => {
    runInScope(request, () => {
      call().then(
        (value) => done(value),
        (error: unknown) => failed(error),
      );
    });
  });
}

test('a builder returned unawaited from an async service names the line that made it, in its request', async () => {
  const request = { requestId: 31, queries: [], closed: false };
  const rows = await route(request, () => new DeckService().listDecks());
  assert.equal(rows.length, 1, 'results unchanged');
  const [select] = log.matching(/^select \* from `decks` where `name` = \?/);
  assert.equal(select?.driver, 'better-sqlite3');
  assert.equal(select?.scope, request);
  assert.match(appFrame(select) ?? '(none)', /^objection\.test\.ts .*listDecks/);
});

test("the relation's statement, from a builder the ORM makes inside the execution, names the app's line too", async () => {
  const request = { requestId: 32, queries: [], closed: false };
  await route(request, () => new DeckService().deckWithCards());
  const [related] = log.matching(/^select \* from `cards` where `deck` = \?/);
  assert.equal(related?.scope, request);
  assert.match(appFrame(related) ?? '(none)', /^objection\.test\.ts .*deckWithCards/);
});
