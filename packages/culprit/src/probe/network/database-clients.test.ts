import assert from 'node:assert/strict';
import { test } from 'node:test';
import { looksLikeDatabaseClient, packageOfPath, withoutCompanions } from './database-clients.js';

test('database clients by name or by a database word in the name; helpers and look-alikes are not', () => {
  for (const name of [
    'mongodb',
    'mongoose',
    'cassandra-driver',
    '@elastic/elasticsearch',
    'my-redis',
    'fast-db',
    'neo4j-driver',
  ]) {
    assert.equal(looksLikeDatabaseClient(name), true, name);
  }
  for (const name of [
    'express',
    'pg-types',
    'pg-protocol',
    'pg-pool',
    'bson',
    '@types/pg',
    'dbly',
    'sqlstring',
    'redistribute',
  ]) {
    assert.equal(looksLikeDatabaseClient(name), false, name);
  }
});

test('the package a file lies in: the last node_modules, scopes included', () => {
  assert.equal(packageOfPath('/app/node_modules/mongodb/lib/index.js'), 'mongodb');
  assert.equal(packageOfPath('/app/node_modules/mongoose/node_modules/mongodb/lib/a.js'), 'mongodb');
  assert.equal(packageOfPath('/app/node_modules/@elastic/elasticsearch/index.js'), '@elastic/elasticsearch');
  assert.equal(packageOfPath('C:\\app\\node_modules\\tedious\\lib\\x.js'), 'tedious');
  assert.equal(packageOfPath('/app/src/db.js'), undefined);
});

test("a client's companion packages are not listed beside it", () => {
  assert.deepEqual(withoutCompanions(['@mongodb-js/saslprep', 'mongodb', 'mongodb-connection-string-url', 'ioredis']), [
    'mongodb',
    'ioredis',
  ]);
  assert.deepEqual(withoutCompanions(['mongodb-connection-string-url']), ['mongodb-connection-string-url']);
});
