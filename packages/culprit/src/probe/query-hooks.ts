/**
 * Installs the SQL driver hooks (src/probe/queries/, one file per driver) with
 * the probe's recorder. They patch drivers as they load and stay idle until a
 * trace asks for queries (recordQuery drops events otherwise).
 */
import { noteFault } from './faults.js';
import { installQueryHooks as installDriverHooks } from './queries/index.js';
import { recordQuery } from './request-context.js';

/** Installs every driver hook; a failure costs the query records, never the app. */
export function installQueryHooks(): void {
  try {
    installDriverHooks(recordQuery);
  } catch (error) {
    noteFault('query hooks', error);
  }
}
