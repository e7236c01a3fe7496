/**
 * Sequelize before 6 runs on bluebird (a copy of its own, `lib/promise.js`):
 * a model call (`Message.findAll(…)`) reaches the driver from bluebird's
 * scheduler, whose continuations hold none of the app's frames (every query
 * site was `(unknown)`) and, by default, run in the async context of
 * whichever call queued bluebird's drain first. So:
 * - that copy runs with bluebird's own async-hooks option (3.7+), which runs
 *   each continuation in the async context it was queued from: statements
 *   stay in their request, and what an entry lends below reaches the driver;
 * - the entry points the app calls (the models' `find*`, `count`, `create`,
 *   `update`, `destroy`…, an instance's `save`, `reload`…, the connection's
 *   `query` and `transaction`) lend their stack and request to every
 *   statement issued below them (entry-issuer.ts). An association's getter
 *   (`user.getMessages()`) calls `findAll` synchronously: its stack holds the
 *   app's line too.
 * Sequelize 6 runs on native async functions, whose stacks V8 follows to the
 * app's line, except on SQLite: node-sqlite3 runs each statement from inside
 * `db.serialize(async () => …)` after awaiting its column types, a
 * continuation no caller awaits, so the driver saw only Sequelize's frames
 * from the second call of a model on. There its entries lend as well.
 * Statements are recorded by the driver hooks.
 */
import { noteFault } from '../faults.js';
import { type EntryOptions, lendFromEntries, packageVersion } from './entry-issuer.js';
import { onCommonJsFile, packageFile } from './module-hook.js';

/** Static methods of Model that issue statements (builders such as `build` issue none). */
const MODEL_STATICS =
  /^(?:find\w*|count|aggregate|sum|max|min|create|bulkCreate|upsert|insertOrUpdate|update|destroy|restore|truncate|increment|decrement|describe|sync|drop|all)$/;
/** Instance methods that issue statements. */
const INSTANCE_METHODS = /^(?:save|reload|update|updateAttributes|destroy|restore|increment|decrement)$/;
const CONNECTION_METHODS = /^(?:query|transaction)$/;
const ENTRY: EntryOptions = { label: 'sequelize issuer', outermost: true };

let installed = false;

export function install(): void {
  if (installed) return;
  installed = true;
  onCommonJsFile(packageFile('sequelize', 'lib/promise.js'), keepAsyncContext);
  onCommonJsFile(packageFile('sequelize', 'lib/model.js'), (exports, filename) => {
    const entry = entryFor(filename);
    if (!entry || typeof exports !== 'function') return;
    lendFromEntries(exports, MODEL_STATICS, entry);
    const proto = (exports as { prototype?: object }).prototype;
    if (proto) lendFromEntries(proto, INSTANCE_METHODS, entry);
  });
  onCommonJsFile(packageFile('sequelize', 'lib/sequelize.js'), (exports, filename) => {
    const proto = typeof exports === 'function' ? (exports as { prototype?: object }).prototype : undefined;
    const entry = entryFor(filename);
    if (proto && entry)
      lendFromEntries(proto, CONNECTION_METHODS, { ...entry, callsBack: /^transaction$/, outsideOnly: true });
  });
}

/** How the copy of Sequelize `filename` belongs to lends: always before 6 (bluebird), on SQLite from 6 on. */
function entryFor(filename: string): EntryOptions | undefined {
  const version = packageVersion(filename, 'sequelize');
  if (version === undefined) return undefined;
  return version[0] < 6 ? ENTRY : { ...ENTRY, when: onSqlite };
}

/** A model class, a model instance or the connection itself, on Sequelize's SQLite dialect. */
function onSqlite(receiver: unknown): boolean {
  const holder = receiver as { sequelize?: { options?: { dialect?: unknown } }; options?: { dialect?: unknown } };
  return (holder?.sequelize?.options?.dialect ?? holder?.options?.dialect) === 'sqlite';
}

interface BluebirdCopy {
  config?: (options: { asyncHooks: boolean }) => unknown;
}

/** Bluebird 3.7's `asyncHooks` option on Sequelize's own copy; older bluebirds ignore it. */
function keepAsyncContext(exports: unknown): void {
  const copy = exports as BluebirdCopy | undefined;
  if (typeof copy?.config !== 'function') return;
  try {
    copy.config({ asyncHooks: true });
  } catch (error) {
    noteFault('sequelize bluebird async hooks', error);
  }
}
