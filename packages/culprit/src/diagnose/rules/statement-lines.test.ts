import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SourceLocation } from '../../capture/types.js';
import { wrappedLine } from './statement-lines.js';

const source = [
  "router.get('/daily', async (ctx) => {",
  "  const localDay = db.raw('(e.occurred_at AT TIME ZONE ?)::date', [tz]);",
  "  const rows = await db('events as e')",
  '    .select({ day: localDay })',
  "    .where('e.project_id', projectId)",
  "    .andWhereRaw('(e.occurred_at AT TIME ZONE ?)::date >= ?::date', [tz, since])",
  "    .groupByRaw('1');",
  '});',
].join('\n');
const queried: SourceLocation = { file: '/app/routes/events.js', line: 3, column: 22 };
const read = (path: string) => (path === queried.file ? source : undefined);

test('a cast of an expression of the column is placed where it is compared, not where it is selected', () => {
  const at = wrappedLine({ fn: 'DATE', column: 'occurred_at', qualifier: 'e' }, queried, read);
  assert.equal(at?.line, 6);
});

test('a function around the column and a cast right after it are found as before', () => {
  const text = "const rows = await db.any('SELECT * FROM orders o WHERE o.placed_at::date = $1', [day]);";
  const one = (path: string) => (path === queried.file ? `\n\n${text}` : undefined);
  assert.equal(wrappedLine({ fn: 'DATE', column: 'placed_at', qualifier: 'o' }, queried, one)?.line, 3);
  const lower = "const rows = await db.any('SELECT * FROM users WHERE lower(email) = $1', [email]);";
  const two = (path: string) => (path === queried.file ? `\n\n${lower}` : undefined);
  assert.equal(wrappedLine({ fn: 'LOWER', column: 'email' }, queried, two)?.line, 3);
});

test('a function of the column both selected and compared is placed where it is compared, above the call', () => {
  const shops = [
    'async function near(lat, lng, radius) {',
    "  const where = ['s.open = 1', 'ST_Distance_Sphere(POINT(s.lng, s.lat), POINT(?, ?)) <= ?'];",
    '  return pool.query(',
    '    `SELECT s.id, ST_Distance_Sphere(POINT(s.lng, s.lat), POINT(?, ?)) AS metres',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of an app file, not a template
    "       FROM shops s WHERE ${where.join(' AND ')} ORDER BY metres LIMIT 50`,",
    '    [lng, lat, lng, lat, radius],',
    '  );',
    '}',
  ].join('\n');
  const at: SourceLocation = { file: '/app/shops.js', line: 3, column: 10 };
  const readShops = (path: string) => (path === at.file ? shops : undefined);
  assert.equal(wrappedLine({ fn: 'ST_DISTANCE_SPHERE', column: 'lng', qualifier: 's' }, at, readShops)?.line, 2);
});

test('a JSON field compared in a helper of another module is placed where that helper compares it', () => {
  const repository = [
    "import { propertyConditions, and } from '../lib/filters';",
    'export async function daily(filters) {',
    '  const rows = await sql`',
    '    SELECT count(*) FROM events e',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of an app file, not a template
    '    WHERE e.project_id = ${id} AND ${and(propertyConditions(filters))}`;',
    '  return rows;',
    '}',
  ].join('\n');
  const filters = [
    'export function propertyConditions(filters) {',
    '  return filters.map((f) => {',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of an app file, not a template
    "    if (f.op === 'neq') return sql`coalesce(e.properties ->> ${f.property}, '') <> ${f.value}`;",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of an app file, not a template
    '    return sql`e.properties ->> ${f.property} = ${f.value}`;',
    '  });',
    '}',
  ].join('\n');
  const files: Record<string, string> = {
    '/app/src/repositories/events.ts': repository,
    '/app/src/lib/filters.ts': filters,
  };
  const at = wrappedLine(
    { fn: '->>', column: 'properties', qualifier: 'e' },
    { file: '/app/src/repositories/events.ts', line: 3, column: 1 },
    (path) => files[path],
  );
  assert.deepEqual([at?.file, at?.line], ['/app/src/lib/filters.ts', 4]);
});
