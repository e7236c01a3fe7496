/**
 * Packages loaded in the process that look like database (or cache, search,
 * queue) clients: named when a request wrote to a socket that no hook
 * explains, so the user sees which driver culprit does not record. Package
 * names come from the CommonJS module cache (every driver listed ships
 * CommonJS; an ES-module-only client is not seen here).
 */
import { createRequire } from 'node:module';

/** Clients by name, whether culprit hooks them or not (a hooked one listed here may be a version or API culprit misses). */
const KNOWN = new Set([
  'mongodb',
  'mongoose',
  'redis',
  '@redis/client',
  'ioredis',
  'cassandra-driver',
  '@elastic/elasticsearch',
  '@opensearch-project/opensearch',
  'couchbase',
  'nano',
  'neo4j-driver',
  'tedious',
  'mssql',
  'oracledb',
  'ibm_db',
  'pg',
  'pg-native',
  'postgres',
  'mysql',
  'mysql2',
  'mariadb',
  'sqlite3',
  'better-sqlite3',
  'memcached',
  'memjs',
  '@clickhouse/client',
  '@google-cloud/firestore',
  '@google-cloud/spanner',
  '@google-cloud/bigquery',
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/lib-dynamodb',
  'dynamoose',
  'arangojs',
  'rethinkdb',
  '@influxdata/influxdb-client',
  'influx',
  'amqplib',
  'kafkajs',
  'nats',
  'mqtt',
  '@prisma/client',
  'firebase-admin',
  '@supabase/supabase-js',
  '@libsql/client',
  '@neondatabase/serverless',
  '@planetscale/database',
]);

/** Other names that say database: a word of the name, not a substring of any word (`mongo-client`, `my-redis`). */
const DATABASE_WORD =
  /(?:^|[-_./@])(?:db|sql|mongo|mongodb|redis|valkey|cassandra|scylla|couch|couchdb|neo4j|elastic|elasticsearch|opensearch|dynamo|dynamodb|memcache|memcached|clickhouse|influx|influxdb|arango|rethink|oracle|postgres|postgresql|mysql|mariadb|sqlite|mssql|cockroach|surreal|surrealdb|etcd|consul|zookeeper|nats|kafka|amqp|rabbitmq)(?:$|[-_./])/i;

/** Helper packages of a client (types, parsers, pools) that are not clients themselves. */
const HELPER = /(?:^@types\/|-types$|-protocol$|-connection-string$|-pool$|-parser$|-errors$|^sqlstring$|^bson$)/;

export function looksLikeDatabaseClient(name: string): boolean {
  if (HELPER.test(name)) return false;
  return KNOWN.has(name) || DATABASE_WORD.test(name);
}

/** `node_modules/<name>` or `node_modules/@scope/<name>`: the last package a path lies in. */
export function packageOfPath(path: string): string | undefined {
  const at = path.replaceAll('\\', '/').lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const [first, second] = path
    .replaceAll('\\', '/')
    .slice(at + '/node_modules/'.length)
    .split('/');
  if (!first) return undefined;
  return first.startsWith('@') && second ? `${first}/${second}` : first;
}

/** Made at the first use, not as the server side loads at the listen (see queries/module-hook.ts). */
let ownRequire: NodeJS.Require | undefined;

/** Loaded packages that look like database clients, sorted (at most `limit`). */
export function loadedDatabaseClients(limit = 12): string[] {
  const names = new Set<string>();
  ownRequire ??= createRequire(import.meta.url);
  for (const path of Object.keys(ownRequire.cache)) {
    const name = packageOfPath(path);
    if (name && looksLikeDatabaseClient(name)) names.add(name);
  }
  return withoutCompanions([...names])
    .sort()
    .slice(0, limit);
}

/** Drops a client's companion packages (`mongodb-connection-string-url`, `@mongodb-js/saslprep` beside `mongodb`). */
export function withoutCompanions(names: string[]): string[] {
  return names.filter(
    (name) => !names.some((other) => other !== name && (name.startsWith(`${other}-`) || name.startsWith(`@${other}`))),
  );
}
