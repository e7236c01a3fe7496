import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changingKeyLine } from './changing-key-line.js';

// a generic read-through helper handed its key; the key hashes a range whose end a helper of another module
// sets to the time now, through a default parameter
const files: Record<string, string> = {
  '/app/src/lib/cache.ts': [
    "import { redis } from './redis';",
    'export async function cached<T>(key: string, ttl: number, load: () => Promise<T>): Promise<T> {',
    '  const hit = await redis.get(key);',
    '  if (hit !== null) return JSON.parse(hit) as T;',
    '  const value = await load();',
    "  await redis.set(key, JSON.stringify(value), 'EX', ttl);",
    '  return value;',
    '}',
  ].join('\n'),
  '/app/src/services/reports.ts': [
    "import { cached } from '../lib/cache';",
    "import { stableHash } from '../lib/hash';",
    "import { resolveRange } from '../lib/range.js';",
    'export async function results(report) {',
    '  const range = resolveRange(report.definition.range);',
    '  const query = { projectId: report.projectId, range };',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of an app file, not a template
    '  const cacheKey = `report:${report.id}:${stableHash(query)}`;',
    '  return cached(cacheKey, 600, () => compute(report, range));',
    '}',
  ].join('\n'),
  '/app/src/lib/hash.ts':
    'export function stableHash(value: unknown): string {\n  return sha1(JSON.stringify(value));\n}',
  '/app/src/lib/range.ts': [
    'export function resolveRange(preset: string, now: Date = new Date()) {',
    '  return { from: new Date(now.getTime() - DAYS[preset] * 86_400_000), to: now };',
    '}',
  ].join('\n'),
};
const read = (path: string) => files[path];

test("a key that takes the time from another module's helper is named where that helper's value enters it", () => {
  const found = changingKeyLine({ file: '/app/src/lib/cache.ts', line: 3, column: 21 }, read, [
    '/app/src/services/reports.ts',
  ]);
  assert.deepEqual(found, {
    location: { file: '/app/src/services/reports.ts', line: 5, column: 1 },
    part: 'new Date() in resolveRange()',
  });
});

test('a key built from the request alone has no changing line, however far its variables are followed', () => {
  const steady: Record<string, string> = {
    ...files,
    '/app/src/lib/range.ts':
      'export function resolveRange(preset: string, day: string) {\n  return { preset, day };\n}',
  };
  const found = changingKeyLine({ file: '/app/src/lib/cache.ts', line: 3, column: 21 }, (path) => steady[path], [
    '/app/src/services/reports.ts',
  ]);
  assert.equal(found, undefined);
});
