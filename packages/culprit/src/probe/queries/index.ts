/**
 * Installs every driver hook. Each is idempotent and inert until its driver
 * loads, so installing all of them costs nothing for drivers the app lacks.
 */
import { install as installBetterSqlite3 } from './better-sqlite3.js';
import { install as installMysql2 } from './mysql2.js';
import { install as installNodeSqlite } from './node-sqlite.js';
import { install as installPg } from './pg.js';
import { install as installSqlite3 } from './sqlite3.js';
import type { QueryRecorder } from './types.js';

export { normalizeSql } from './normalize-sql.js';
export type { QueryDriver, QueryRecorder, RawFrame, RawQueryEvent } from './types.js';

export function installQueryHooks(record: QueryRecorder): void {
  installPg(record);
  installMysql2(record);
  installBetterSqlite3(record);
  installNodeSqlite(record);
  installSqlite3(record);
}
