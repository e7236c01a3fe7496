/**
 * Bookshelf runs a model's statements on bluebird: `fetch`, `fetchAll`,
 * `fetchPage`, `save`… chain bluebird promises down to Knex, and bluebird's
 * scheduler runs those continuations with none of the app's frames on the
 * stack (a slow list's statement was named nowhere) and, by default, in the
 * async context of whichever call queued bluebird's drain first (another
 * request's, or a timer of the app's: the statement was then named at that
 * timer's line). So, as for Sequelize's bluebird (sequelize.ts):
 * - the bluebird Bookshelf loads runs with its async-hooks option (3.7+):
 *   each continuation in the async context it was queued from;
 * - a model's and a collection's methods that issue statements lend their
 *   stack and request to every statement below them (entry-issuer.ts), the
 *   outermost only: plugins that wrap `fetchAll` call the one below.
 * Statements are recorded by the driver hooks.
 */
import { createRequire } from 'node:module';
import { noteFault } from '../faults.js';
import { type EntryOptions, lendFromEntries } from './entry-issuer.js';
import { onCommonJsFile, packageFile } from './module-hook.js';

const MODEL_METHODS = /^(?:fetch|fetchAll|fetchPage|count|save|destroy|load)$/;
const COLLECTION_METHODS = /^(?:fetch|fetchOne|fetchPage|count|create|load)$/;
const ENTRY: EntryOptions = { label: 'bookshelf issuer', outermost: true };

let installed = false;

export function install(): void {
  if (installed) return;
  installed = true;
  onCommonJsFile(packageFile('bookshelf', 'lib/model.js'), (exports, filename) => {
    keepAsyncContext(filename);
    lendFrom(exports, MODEL_METHODS);
  });
  onCommonJsFile(packageFile('bookshelf', 'lib/collection.js'), (exports) => lendFrom(exports, COLLECTION_METHODS));
}

function lendFrom(exports: unknown, methods: RegExp): void {
  const proto = typeof exports === 'function' ? (exports as { prototype?: object }).prototype : undefined;
  if (proto) lendFromEntries(proto, methods, ENTRY);
}

interface Bluebird {
  config?: (options: { asyncHooks: boolean }) => unknown;
}

/** Bluebird 3.7's `asyncHooks` option on the copy Bookshelf's `filename` resolves; older bluebirds ignore it. */
function keepAsyncContext(filename: string): void {
  try {
    const bluebird = createRequire(filename)('bluebird') as Bluebird | undefined;
    if (typeof bluebird?.config === 'function') bluebird.config({ asyncHooks: true });
  } catch (error) {
    noteFault('bookshelf bluebird async hooks', error);
  }
}
