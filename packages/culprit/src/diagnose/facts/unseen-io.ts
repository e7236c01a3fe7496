/**
 * Network I/O that no hook recorded: a request that wrote to client sockets
 * (other than its HTTP calls') while no query and no Redis command was
 * recorded. Its driver is then one culprit does not hook, and the remotes
 * and the database-like packages loaded say which. Pure: trace's text and
 * the unseen-queries rule both read it.
 */
import type { NetworkUse, RequestRecord } from '../../capture/types.js';

export interface UnseenIo {
  /** The remotes written to that nothing recorded, most bytes first. */
  remotes: NetworkUse[];
  /** Loaded packages that look like database clients (the probe's list). */
  clients: string[];
}

/** Services by their registered default port: a hint at what a bare `host:port` is. */
const WELL_KNOWN_PORTS: Record<number, string> = {
  1433: 'SQL Server',
  1521: 'Oracle',
  3306: 'MySQL/MariaDB',
  5432: 'PostgreSQL',
  5672: 'AMQP (RabbitMQ)',
  5984: 'CouchDB',
  6379: 'Redis',
  7687: 'Neo4j (Bolt)',
  8086: 'InfluxDB',
  8123: 'ClickHouse (HTTP)',
  9000: 'ClickHouse (native)',
  9042: 'Cassandra (CQL)',
  9092: 'Kafka',
  9200: 'Elasticsearch/OpenSearch',
  11211: 'memcached',
  1883: 'MQTT',
  4222: 'NATS',
  26257: 'CockroachDB',
  27017: 'MongoDB',
  28015: 'RethinkDB',
};

function portOf(remote: string): number | undefined {
  const match = /:(\d+)$/.exec(remote);
  return match ? Number(match[1]) : undefined;
}

/** `127.0.0.1:27017 (MongoDB's port)`. */
export function describeRemote(remote: string): string {
  const port = portOf(remote);
  const service = port === undefined ? undefined : WELL_KNOWN_PORTS[port];
  return service ? `${remote} (${service}'s port)` : remote;
}

/** Ports of the request's recorded HTTP calls (fetch's sockets carry no mark of their call). */
function httpPorts(request: RequestRecord): Set<number> {
  const ports = new Set<number>();
  for (const call of request.http ?? []) {
    try {
      const url = new URL(call.origin);
      ports.add(Number(url.port || (url.protocol === 'https:' ? 443 : 80)));
    } catch {
      // an origin that is no URL explains nothing
    }
  }
  return ports;
}

export function unseenIoOf(request: RequestRecord): UnseenIo | undefined {
  if (!request.network?.length) return undefined;
  if (request.queries.length > 0 || request.foldedQueries?.length || request.redis?.length) return undefined;
  const ports = httpPorts(request);
  const remotes = request.network.filter((row) => {
    if (row.kind === 'http') return false;
    const port = portOf(row.remote);
    return port === undefined || !ports.has(port);
  });
  if (remotes.length === 0) return undefined;
  return { remotes, clients: request.databaseClients ?? [] };
}

/** One line: `127.0.0.1:27017 (MongoDB's port): 3 writes, 412 B`, the remotes joined. */
export function describeRemotes(remotes: NetworkUse[], limit = 3): string {
  const shown = remotes
    .slice(0, limit)
    .map((row) => `${describeRemote(row.remote)}: ${row.writes} write${row.writes === 1 ? '' : 's'}, ${row.bytes} B`);
  const more = remotes.length > limit ? ` and ${remotes.length - limit} more` : '';
  return `${shown.join('; ')}${more}`;
}
