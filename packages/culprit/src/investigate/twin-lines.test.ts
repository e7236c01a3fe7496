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

test('an `export default function` tsc split in two pairs with its signature, not the blank line above it', () => {
  const ts = [
    'function tally(rows: number[]): number {',
    '  return rows.length;',
    '}',
    '',
    'export default function handler(_request: IncomingMessage, response: ServerResponse): void {',
    "  const rows = db.prepare('SELECT id FROM shelf').all() as Row[];",
    '  const listing: Listing = { count: tally(rows) };',
    '  response.end(JSON.stringify(listing));',
    '}',
  ];
  const js = [
    '"use strict";',
    'Object.defineProperty(exports, "__esModule", { value: true });',
    'exports.default = handler;',
    'function tally(rows) {',
    '    return rows.length;',
    '}',
    'function handler(_request, response) {',
    "    const rows = db.prepare('SELECT id FROM shelf').all();",
    '    const listing = { count: tally(rows) };',
    '    response.end(JSON.stringify(listing));',
    '}',
  ];
  const lines = twinLines(js, ts);
  assert.deepEqual(lines.slice(3), [1, 2, 3, 5, 6, 7, 8, 9]);
});
