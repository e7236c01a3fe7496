import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../capture/types.js';
import { bundleNotes } from './bundle-hints.js';

const at = (file: string, column = 10): Finding =>
  ({ rule: 'n-plus-one', severity: 'warning', title: 't', location: { file, line: 1, column } }) as Finding;

test("a finding in Next.js's server bundle says how to get source maps, once", () => {
  const notes = bundleNotes([
    at('/app/.next/server/app/api/orders/route.js', 9_000),
    at('/app/.next/server/chunks/887.js'),
  ]);
  assert.equal(notes.length, 1);
  assert.match(notes[0] ?? '', /serverSourceMaps: true/);
});

test('minified code elsewhere gets the general note; source files get none', () => {
  assert.match(bundleNotes([at('/app/dist/server.js', 4_200)])[0] ?? '', /minified code/);
  assert.deepEqual(bundleNotes([at('/app/src/orders.ts', 12), at('file:///app/lib/orders.js')]), []);
});
