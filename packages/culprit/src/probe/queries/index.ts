/**
 * Installs every driver hook. Each is idempotent and inert until its driver
 * loads, so installing all of them costs nothing for drivers the app lacks.
 */
import { install as installBetterSqlite3 } from './better-sqlite3.js';
import { install as installBookshelf } from './bookshelf.js';
import { install as installDrizzle } from './drizzle.js';
import { startEsmHooks } from './esm-hook.js';
import { install as installFeathers } from './feathers.js';
import { install as installJuggler } from './juggler.js';
import { install as installKnex } from './knex.js';
import { install as installKysely } from './kysely.js';
import { install as installMariadb } from './mariadb.js';
import { install as installMysql } from './mysql.js';
import { install as installMysql2 } from './mysql2.js';
import { install as installNodeSqlite } from './node-sqlite.js';
import { install as installObjection } from './objection.js';
import { install as installPg } from './pg.js';
import { install as installPostgres } from './postgres.js';
import { install as installPrisma } from './prisma.js';
import { install as installSequelize } from './sequelize.js';
import { install as installSqlite3 } from './sqlite3.js';
import { install as installTypeorm } from './typeorm.js';
import type { QueryRecorder } from './types.js';

export { normalizeSql } from './normalize-sql.js';
export type { QueryDriver, QueryRecorder, RawFrame, RawQueryEvent } from './types.js';

export function installQueryHooks(record: QueryRecorder): void {
  installPg(record);
  installPostgres(record);
  installMysql2(record);
  installMysql(record);
  installMariadb(record);
  installBetterSqlite3(record);
  installNodeSqlite(record);
  installSqlite3(record);
  installKnex();
  installObjection();
  installDrizzle();
  installKysely();
  installTypeorm();
  installPrisma();
  installSequelize();
  installBookshelf();
  installFeathers();
  installJuggler();
  // after every hook said which ES module files it needs
  startEsmHooks();
}
