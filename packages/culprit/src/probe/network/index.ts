/**
 * The request record's network fields: which remotes the request wrote to
 * (socket-writes.ts) and, when none of that I/O was recorded as a query, the
 * loaded packages that look like database clients (database-clients.ts).
 */
import type { NetworkUse } from '../../capture/types.js';
import type { RequestScope } from '../request-context.js';
import { loadedDatabaseClients } from './database-clients.js';
import { networkOf } from './socket-writes.js';

export { installSocketWatch, listenNetwork, markOwnSocket } from './socket-writes.js';

export function networkFieldsOf(scope: RequestScope): { network?: NetworkUse[]; databaseClients?: string[] } {
  const network = networkOf(scope);
  if (!network) return {};
  const unexplained = network.some((row) => row.kind !== 'http');
  // the module cache is read only for a request whose raw socket I/O no query accounts for
  const noQuery = scope.queries.length === 0 && !scope.folds;
  const clients = unexplained && noQuery ? loadedDatabaseClients() : [];
  return clients.length ? { network, databaseClients: clients } : { network };
}
