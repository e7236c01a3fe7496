import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCulpritError } from '../errors/culprit-error.js';
import { parseLogTime } from './access-log.js';
import { planReplay } from './plan.js';
import { readReplayText } from './read-replay-file.js';

test('common and combined lines: times with their offset, method, path; other lines counted unreadable', () => {
  const text = [
    '203.0.113.9 - alice [29/Nov/2026:10:00:01 +0100] "GET /api/cards/2?x=1 HTTP/1.1" 200 512 "http://r.test/" "Mozilla/5.0"',
    '127.0.0.1 - - [29/Nov/2026:09:00:00 +0000] "GET /api/cards/1 HTTP/1.1" 200 -',
    'garbage',
    '::1 - - [29/Nov/2026:09:00:02 +0000] "DELETE http://localhost:3000/api/cards/3 HTTP/1.0" 204 0',
  ].join('\n');
  const file = readReplayText(text, 'access.log');
  assert.equal(file.format, 'access-log');
  assert.equal(file.unreadable, 1);
  assert.deepEqual(
    file.entries.map((e) => [e.atMs, e.method, e.path]),
    [
      [0, 'GET', '/api/cards/1'],
      [1000, 'GET', '/api/cards/2?x=1'],
      [2000, 'DELETE', '/api/cards/3'],
    ],
  );
  assert.equal(parseLogTime('10/Oct/2000:13:55:36 -0700'), Date.UTC(2000, 9, 10, 20, 55, 36));
  assert.ok(Number.isNaN(parseLogTime('10/Foo/2000:13:55:36 -0700')));
});

test('HAR: path and query of each entry, headers without connection ones, the body, in time order', () => {
  const har = {
    log: {
      entries: [
        {
          startedDateTime: '2026-11-29T10:00:00.250Z',
          request: {
            method: 'post',
            url: 'https://shop.test/api/cards',
            headers: [
              { name: ':authority', value: 'shop.test' },
              { name: 'Accept-Encoding', value: 'gzip' },
              { name: 'X-Tenant', value: 'a' },
            ],
            postData: { mimeType: 'application/json', text: '{"title":"x"}' },
          },
        },
        { startedDateTime: '2026-11-29T10:00:00.000Z', request: { method: 'GET', url: 'https://shop.test/a?b=1' } },
        { request: { method: 'GET', url: 'not a url' } },
      ],
    },
  };
  const file = readReplayText(JSON.stringify(har), 'x.har');
  assert.equal(file.format, 'har');
  assert.equal(file.unreadable, 1);
  assert.deepEqual(file.entries[0], { atMs: 0, method: 'GET', path: '/a?b=1' });
  assert.deepEqual(file.entries[1], {
    atMs: 250,
    method: 'POST',
    path: '/api/cards',
    headers: { 'x-tenant': 'a', 'content-type': 'application/json' },
    body: '{"title":"x"}',
  });
});

test('a file with nothing to replay is a usage error naming both formats', () => {
  assert.throws(
    () => readReplayText('{"log":{"entries":[]}}', 'empty.har'),
    (error) => isCulpritError(error) && error.code === 'CULPRIT_E_BAD_REPLAY_FILE' && /HAR file/.test(error.message),
  );
  assert.throws(() => readReplayText('hello\n', 'notes.txt'), /access log \(common or combined format/);
});

test('plan: recorded offsets or an even rate; unsafe methods skipped unless asked; a limit', () => {
  const entries = [
    { atMs: 100, method: 'GET', path: '/a' },
    { atMs: 400, method: 'POST', path: '/b' },
    { atMs: 1100, method: 'GET', path: '/c' },
  ];
  const paced = planReplay(entries, { includeUnsafe: false });
  assert.deepEqual(
    paced.sends.map((s) => [s.atMs, s.entry.path]),
    [
      [0, '/a'],
      [1000, '/c'],
    ],
  );
  assert.deepEqual(paced.skippedUnsafe, { POST: 1 });
  const rated = planReplay(entries, { includeUnsafe: true, rate: 4, limit: 2 });
  assert.deepEqual(
    rated.sends.map((s) => [s.atMs, s.entry.path]),
    [
      [0, '/a'],
      [250, '/b'],
    ],
  );
});
