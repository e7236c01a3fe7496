import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactArgv, redactCommandLine, sanitizeRecord } from './redact.js';

test('the recorded command line keeps no header value, body, secret flag value, URL password or query value', () => {
  const args = [
    '-H',
    'Authorization: Bearer abc123',
    '--header=Cookie: sid=s3cr3t',
    '-HX-Api-Key:k3y',
    '-d',
    '{"password":"hunter2"}',
    '--data={"card":"4111"}',
    '-dtoken=zzz',
    '/api/items?token=t0k&page=2',
    '--',
    'node',
    'server.js',
    '--db-password=pw1',
    '--api-key',
    'key2',
    '--secret=s3',
    'postgres://app:dbpass@localhost/db',
    '--port=3000',
  ];
  const line = redactCommandLine(args, false);
  for (const secret of ['abc123', 's3cr3t', 'k3y', 'hunter2', '4111', 'zzz', 't0k', 'pw1', 'key2', 's3', 'dbpass']) {
    assert.ok(!line.includes(secret), `${secret} in ${line}`);
  }
  assert.deepEqual(redactArgv(args, false), [
    '-H',
    'Authorization: ?',
    '--header=Cookie: ?',
    '-HX-Api-Key: ?',
    '-d',
    '?',
    '--data=?',
    '-d?',
    '/api/items?token=?&page=?',
    '--',
    'node',
    'server.js',
    '--db-password=?',
    '--api-key',
    '?',
    '--secret=?',
    'postgres://app:?@localhost/db',
    '--port=3000',
  ]);
  assert.equal(redactCommandLine(args, true), args.join(' '), '--keep-params keeps everything');
});

test('a query keeps the size of its rows and its wide columns’ names, never a value', () => {
  const query = {
    driver: 'pg',
    sql: "SELECT * FROM docs WHERE owner = 'ann'",
    durationMs: 90,
    rows: 300,
    read: { bytes: 33_000_000, wide: [{ name: 'body', bytes: 110_000, sample: 'secret body' }], narrow: ['id'] },
  };
  const record = sanitizeRecord(
    {
      id: 1,
      method: 'GET',
      url: '/docs',
      status: 200,
      wallMs: 100,
      cpuMs: 50,
      bytes: 47_000,
      queries: [query],
      constructions: [],
    },
    false,
  );
  assert.deepEqual(record.queries[0]?.read, {
    bytes: 33_000_000,
    wide: [{ name: 'body', bytes: 110_000 }],
    narrow: ['id'],
  });
  assert.ok(!JSON.stringify(record).includes('secret'));
  assert.ok(!JSON.stringify(record).includes('ann'));
});
