/**
 * The packages culprit's driver and Redis hooks patch, and the ES module
 * files among them: what a process must watch from its start (hook-loading.ts)
 * while the hooks themselves load only once one of these packages does.
 * The hooks read their ES module files from here, so the two cannot drift.
 */

/** npm packages with a hook (src/probe/queries, src/probe/remote); any of their CommonJS files loads the hooks. */
export const HOOKED_PACKAGES = [
  'pg',
  'pg-pool',
  'postgres',
  'mysql2',
  'mysql',
  'mariadb',
  'better-sqlite3',
  'sqlite3',
  'knex',
  'objection',
  'drizzle-orm',
  'kysely',
  'typeorm',
  'sequelize',
  '@prisma/client',
  '@feathersjs/feathers',
  'loopback-datasource-juggler',
  'bookshelf',
  'ioredis',
  '@redis/client',
  // got 11's Request (CommonJS; remote/got11-entry.ts)
  'got',
  // axios's Node bundle, and 0.x's class file (remote/axios-entry.ts)
  'axios',
] as const;

/** postgres.js's ES module copy of its Query class (queries/postgres.ts). */
export const POSTGRES_ESM_FILE = 'src/query.js';

/** mariadb: files (3.5+ ES modules, or the same paths as CommonJS in 3.4) defining the public classes, by API. */
export const MARIADB_CLASS_FILES: ReadonlyArray<readonly [string, 'promise' | 'callback']> = [
  ['lib/connection-promise.js', 'promise'],
  ['lib/pool-promise.js', 'promise'],
  ['lib/connection-callback.js', 'callback'],
  ['lib/pool-callback.js', 'callback'],
];

/**
 * Drizzle: files (without extension) that export the query entry classes under their own names, by
 * dialect: each dialect's public entry (`drizzle-orm/pg-core`, which every schema imports), whatever
 * file defines the classes (0.26-era: a hashed chunk, `session-<hash>.mjs`, exporting them minified;
 * current: `pg-core/db.js`), and the current defining files (reached before the entry by a driver).
 */
export const DRIZZLE_ENTRY_FILES = [
  'pg-core/index',
  'sqlite-core/index',
  'mysql-core/index',
  'pg-core/db',
  'sqlite-core/db',
  'mysql-core/db',
  'pg-core/query-builders/query',
  'sqlite-core/query-builders/query',
  'mysql-core/query-builders/query',
] as const;

/** Drizzle's ES module copies: `.js` today, `.mjs` up to 0.28. */
export const DRIZZLE_ESM_FILES = DRIZZLE_ENTRY_FILES.flatMap((file) => [`${file}.js`, `${file}.mjs`]);

/** Kysely's query executor, which every builder's `execute()` calls (queries/kysely.ts): ES module, then CommonJS. */
export const KYSELY_EXECUTOR_FILES = [
  'dist/esm/query-executor/query-executor-base.js',
  'dist/cjs/query-executor/query-executor-base.js',
] as const;

/** got's Request class, ES module since got 12 (remote/got-entry.ts). */
export const GOT_REQUEST_FILE = 'dist/source/core/index.js';
/** got's Options class, which picks the `http.request` got calls (remote/got-entry.ts). */
export const GOT_OPTIONS_FILE = 'dist/source/core/options.js';

/** axios's Axios class: an ES module since 1.0 (`import axios`), CommonJS in 0.x (remote/axios-entry.ts). */
export const AXIOS_CLASS_FILE = 'lib/core/Axios.js';
/** axios 1.x's CommonJS bundle for Node (`require('axios')`), the class on its default export. */
export const AXIOS_CJS_FILE = 'dist/node/axios.cjs';

/** ES module files a hook patches, by package: the module loader must mark them from the start. */
export const HOOKED_ESM_FILES: ReadonlyArray<readonly [string, string]> = [
  ['postgres', POSTGRES_ESM_FILE],
  ['got', GOT_REQUEST_FILE],
  ['got', GOT_OPTIONS_FILE],
  ['axios', AXIOS_CLASS_FILE],
  ...MARIADB_CLASS_FILES.map(([file]) => ['mariadb', file] as const),
  ...DRIZZLE_ESM_FILES.map((file) => ['drizzle-orm', file] as const),
  ['kysely', KYSELY_EXECUTOR_FILES[0]],
];
