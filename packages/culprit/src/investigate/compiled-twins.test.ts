import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import type { QueryRecord } from '../capture/types.js';
import { markSetUpScripts } from '../diagnose/schema/table-declarations.js';
import { capture, request } from '../diagnose/test-support/captures.js';
import { moveToTwins, twinMapper, withTwinFiles } from './compiled-twins.js';

const project = mkdtempSync(join(tmpdir(), 'culprit-twins-'));
after(() => rmSync(project, { recursive: true, force: true }));

function write(path: string, lines: string[]): string {
  const file = join(project, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

// tsc with an outDir and no sourceMap: the compiled file lost the interface and the types
write('tsconfig.json', [
  '{',
  '  // the build',
  '  "compilerOptions": { "outDir": "dist", "rootDir": ".", "strict": true, },',
  '}',
]);
write('src/orders.ts', [
  'export interface Order {',
  '  id: number;',
  '}',
  'export async function open(shop: number): Promise<Order[]> {',
  "  return pool.query('SELECT * FROM orders WHERE shop = $1', [shop]);",
  '}',
]);
const compiled = write('dist/src/orders.js', [
  'export async function open(shop) {',
  "    return pool.query('SELECT * FROM orders WHERE shop = $1', [shop]);",
  '}',
]);
const mapped = write('dist/src/mapped.js', ['export const a = 1;', '//# sourceMappingURL=mapped.js.map']);
write('src/mapped.ts', ['export const a: number = 1;']);

function queryAt(file: string, line: number): QueryRecord {
  return { driver: 'pg', sql: 'SELECT 1', durationMs: 1, rows: 1, location: { file, line, column: 12 } };
}

test('a location in compiled output without a source map moves to its TypeScript line', () => {
  const records = [request({ queries: [queryAt(compiled, 2), queryAt(`file://${compiled}`, 2)] })];
  const moved = moveToTwins(capture(records), twinMapper(read));
  const [plain, url] = moved.requests[0]?.queries ?? [];
  assert.deepEqual(plain?.location && [plain.location.file, plain.location.line], [join(project, 'src/orders.ts'), 5]);
  assert.equal(url?.location?.file, `file://${join(project, 'src/orders.ts')}`);
});

test('a script with a source map, a file outside the outDir and a dependency keep their locations', () => {
  const elsewhere = write('scripts/seed.js', ['export const b = 2;']);
  const dependency = join(project, 'node_modules/pg/lib/client.js');
  const records = [request({ queries: [queryAt(mapped, 1), queryAt(elsewhere, 1), queryAt(dependency, 1)] })];
  const moved = moveToTwins(capture(records), twinMapper(read));
  assert.deepEqual(
    moved.requests[0]?.queries.map((q) => q.location?.file),
    [mapped, elsewhere, dependency],
  );
});

test('a TypeScript file loaded in its compiled form counts as loaded: its entity is the schema, not a set-up script', () => {
  const entity = write('src/entities/notice.ts', ["@Entity({ name: 'notices' })", 'export class Notice {}']);
  const entityJs = write('dist/src/entities/notice.js', ['let Notice = class Notice {};', 'export { Notice };']);
  const loaded = withTwinFiles(new Set([entityJs, mapped]), read);
  assert.ok(loaded.has(entity), [...loaded].join(', '));
  assert.ok(loaded.has(entityJs) && loaded.has(mapped), 'the loaded files themselves stay');
  assert.ok(!loaded.has(join(project, 'src/mapped.ts')), "a source-mapped script is the probe's to map");
  const declared = { names: ['notices'], kind: 'table' as const, file: entity, line: 1, endLine: 1 };
  assert.equal(markSetUpScripts([declared], loaded)[0]?.setUp, undefined);
  assert.equal(markSetUpScripts([declared], new Set([entityJs]))[0]?.setUp, true, 'without its twin it looks unloaded');
});
