import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareNames } from './compare-names.js';

const sign = (n: number): number => Math.sign(n);

test('compareNames orders as localeCompare on a table of names', () => {
  const names = [
    'Ephemeron',
    'ephemeron',
    'EPHEMERON',
    'ePhemeron',
    'Person',
    'person',
    'Place',
    'a',
    'A',
    'a1',
    'a10',
    'a2',
    'A1',
    'query',
    'http',
    'redis',
    'Query',
    'Z',
    'z9',
    '9z',
    '0',
    '',
    'ab',
    'aB',
    'Ab',
    'AB',
    'abc',
    'my_class',
    'My$Class',
    'Élan',
    'elan',
    'über',
    'Uber',
    'x.y',
    'x y',
  ];
  for (const a of names) {
    for (const b of names) assert.equal(sign(compareNames(a, b)), sign(a.localeCompare(b)), `${a} vs ${b}`);
  }
});

test('compareNames orders as localeCompare on random names of letters and digits', () => {
  // a fixed generator: the same names every run
  let seed = 42;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  const alphabet = 'aAbBzZ09y';
  const name = (): string => Array.from({ length: next() % 5 }, () => alphabet[next() % alphabet.length]).join('');
  for (let i = 0; i < 20_000; i++) {
    const a = name();
    const b = next() % 3 === 0 ? a.toUpperCase() : name();
    assert.equal(sign(compareNames(a, b)), sign(a.localeCompare(b)), `${a} vs ${b}`);
  }
});
