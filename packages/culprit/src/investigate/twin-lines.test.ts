import assert from 'node:assert/strict';
import { test } from 'node:test';
import { twinLines } from './twin-lines.js';

// a repository written in TypeScript and what tsc (no sourceMap) makes of it
const source = [
  "import { db } from '../db.js';",
  '',
  'export interface Summary {',
  '  id: number;',
  '  title: string;',
  '}',
  '',
  'export async function recent(section: string, limit: number): Promise<Summary[]> {',
  '  return db',
  "    .selectFrom('posts')",
  '    .selectAll()',
  "    .where('section', '=', section)",
  '    .limit(limit)',
  '    .execute();',
  '}',
];
const compiled = [
  "import { db } from '../db.js';",
  'export async function recent(section, limit) {',
  '    return db',
  "        .selectFrom('posts')",
  '        .selectAll()',
  "        .where('section', '=', section)",
  '        .limit(limit)',
  '        .execute();',
  '}',
];

test('each compiled line maps to the TypeScript line it came from, types and interfaces dropped', () => {
  const lines = twinLines(compiled, source);
  assert.equal(lines.length, compiled.length);
  assert.equal(lines[0], 1, 'the import');
  assert.equal(lines[1], 8, 'the signature that lost its types');
  assert.equal(lines[4], 11, '.selectAll()');
  assert.equal(lines[7], 14, '.execute()');
  assert.equal(lines[8], 15);
});

test('a file unchanged by the compiler maps line to line', () => {
  const same = ['const a = 1;', 'export default a;'];
  assert.deepEqual(twinLines(same, same), [1, 2]);
});
