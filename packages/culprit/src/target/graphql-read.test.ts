import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGraphqlRead, operationKinds } from './graphql-read.js';
import { isUnsafeRequest } from './request-shape.js';
import { allowedSends } from './send-notes.js';

const json = 'application/json';
const body = (query: string, extra: object = {}): string => JSON.stringify({ query, ...extra });

test('operation kinds: shorthand, named, several, fragments left out', () => {
  const cases: Array<[string, string[]]> = [
    ['{ users { id } }', ['query']],
    ['query Page($n: Int = 20) { users(first: $n) { id } }', ['query']],
    ['mutation { addUser(name: "x") { id } }', ['mutation']],
    ['subscription OnMessage { messageCreated { id } }', ['subscription']],
    ['query A { a } mutation B { b }', ['query', 'mutation']],
    ['fragment F on User { id name } query { users { ...F } }', ['query']],
  ];
  for (const [document, kinds] of cases) assert.deepEqual(operationKinds(document), kinds, document);
});

test('words inside strings, block strings, comments and selections are not keywords', () => {
  assert.deepEqual(operationKinds('{ search(text: "mutation { x }") { id } }'), ['query']);
  assert.deepEqual(operationKinds('# mutation { drop }\n{ a }'), ['query']);
  assert.deepEqual(operationKinds('{ a(note: """mutation\n{ b }""") }'), ['query']);
  assert.deepEqual(operationKinds('{ mutation subscription { query } }'), ['query']);
});

test('a POST of GraphQL queries is a read; a mutation anywhere in it, or no GraphQL at all, is not', () => {
  assert.equal(isGraphqlRead(body('{ messages(limit: 20) { id } }'), json), true);
  assert.equal(isGraphqlRead(body('query Q { me { id } }', { operationName: 'Q', variables: {} }), json), true);
  assert.equal(isGraphqlRead(JSON.stringify([{ query: '{ a }' }, { query: 'query { b }' }]), json), true);
  assert.equal(isGraphqlRead(body('mutation { deleteUser(id: 1) }'), json), false);
  assert.equal(isGraphqlRead(JSON.stringify([{ query: '{ a }' }, { query: 'mutation { b }' }]), json), false);
  assert.equal(isGraphqlRead(body('query A { a } mutation B { b }', { operationName: 'A' }), json), false);
  assert.equal(isGraphqlRead(JSON.stringify({ name: 'a user', email: 'a@b.c' }), json), false);
  assert.equal(isGraphqlRead(JSON.stringify({ query: 'SELECT 1' }), json), false, 'a field named query, not GraphQL');
  assert.equal(isGraphqlRead('query={users{id}}', 'application/x-www-form-urlencoded'), false);
  assert.equal(isGraphqlRead('{ not json', json), false);
  assert.equal(isGraphqlRead(undefined, json), false);
});

test('such a POST is sent as often as a GET; other POSTs once unless repeating is allowed', () => {
  const read = { method: 'POST', body: body('{ users { id } }'), headers: { 'content-type': json } };
  const write = { method: 'POST', body: body('mutation { signUp(name: "a") }'), headers: { 'content-type': json } };
  assert.equal(isUnsafeRequest(read), false);
  assert.equal(isUnsafeRequest(write), true);
  assert.equal(isUnsafeRequest({ method: 'PUT', body: read.body, headers: read.headers }), true);
  assert.equal(allowedSends(read, 3, false), 3);
  assert.equal(allowedSends(write, 3, false), 1);
});
