import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSecretName, redactText } from './redact-text.js';

test('secrets inside free text become ?, names and the rest stay', () => {
  const cases: Array<[string, string]> = [
    ['Authorization: Bearer abc.def-ghi\nX: 1', 'Authorization: ?\nX: 1'],
    ['Set-Cookie: sid=abc123; Path=/; HttpOnly', 'Set-Cookie: ?'],
    ['cookie: a=1; b=2', 'cookie: ?'],
    [
      '{"error":"bad token","token":"abc123","author":"Tolkien","db_password":"x\\"y"}',
      '{"error":"bad token","token":"?","author":"Tolkien","db_password":"?"}',
    ],
    [
      "{ host: 'a', authorization: 'Bearer xyz12345', cookie: 'sid=1', 'set-cookie': [ 'a=b; Path=/' ], n: 1 }",
      "{ host: 'a', authorization: '?', cookie: '?', 'set-cookie': [?], n: 1 }",
    ],
    ['/login?user=bob&access_token=SECRET&page=2', '/login?user=bob&access_token=?&page=2'],
    ['connect postgres://app:hunter2@db:5432/x failed', 'connect postgres://app:?@db:5432/x failed'],
    ['Basic authentication failed; got Basic dXNlcjpwYXNz', 'Basic authentication failed; got Basic ?'],
    ['sent bearer eyJhbGciOiJIUzI1NiJ9.e30.x', 'sent bearer ?'],
    ['--db-password=hunter2 --port 3', '--db-password=? --port 3'],
    ['invalid token provided', 'invalid token provided'],
  ];
  for (const [text, expected] of cases) assert.equal(redactText(text), expected, text);
});

test('names of secrets, by their last part', () => {
  for (const name of [
    'user.password',
    'req.headers.cookie',
    'req.cookies',
    'apiKey',
    "req.headers['set-cookie']",
    'authToken',
  ])
    assert.equal(isSecretName(name), true, name);
  for (const name of ['author', 'passwordHash', 'tokenCount', 'user.name', 'items.length', ''])
    assert.equal(isSecretName(name), false, name);
});
