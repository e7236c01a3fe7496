import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forwards, isSlowHost } from './slow-downstream.js';

const at = (line: number, column: number) => ({ file: '/app/clients.js', line, column });

test('a client wrapper that only forwards its call decides nothing; code around a call does', () => {
  const lines = [
    "  getJson: (url) => requestJson('GET', url),",
    '  estimate: (weight, country) =>',
    "    getJson(base + '/estimate?weight=' + weight),",
    "function tax(amount) { return getJson('/tax?amount=' + amount); }",
    '  const [priced, shipping] = await Promise.all([',
    '  const users = await Promise.all(ids.map((id) => getUser(id)));',
    '  handle: async (req) => { const quote = await service.quote(req.id);',
  ];
  assert.equal(forwards(lines, at(1, 21)), true, 'one-expression arrow');
  assert.equal(forwards(lines, at(3, 5)), true, "an arrow's body on the next line");
  assert.equal(forwards(lines, at(4, 31)), true, 'a one-line return');
  assert.equal(forwards(lines, at(5, 34)), false, 'a call awaited in the code that decides');
  assert.equal(forwards(lines, at(6, 51)), true, 'the inline callback itself');
  assert.equal(forwards(lines, at(6, 23)), false, 'the line that maps over the ids');
  assert.equal(forwards(lines, at(7, 45)), false, 'an arrow with a block body');
});

test('a slow host: one call stands out; a chain of quick calls stretched by load is not one', () => {
  assert.equal(isSlowHost(0.95, 420, 400), true, 'one 400 ms pricing call among quick ones');
  assert.equal(isSlowHost(0.98, 216, 80), false, 'three dependent calls of ~70 ms on a loaded machine');
  assert.equal(isSlowHost(0.98, 330, 115), false, 'three calls, the slowest a third of the wait');
  assert.equal(isSlowHost(0.98, 1050, 350), true, 'three calls each clearly slow');
  assert.equal(isSlowHost(0.3, 400, 400), false, 'the wait is not most of the request');
});
