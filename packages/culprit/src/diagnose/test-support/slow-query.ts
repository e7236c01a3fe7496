/** A slow statement's fixtures for the slow-query rule's tests: a pg driver frame, a repository line, a plan. */
import type { QueryRecord, SourceLocation } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { capture, request } from './captures.js';

export const driver: SourceLocation = {
  file: '/app/node_modules/pg/lib/client.js',
  line: 500,
  column: 1,
  package: 'pg',
};
export const repo: SourceLocation = { file: '/app/src/repo.js', line: 14, column: 3, functionName: 'byBrand' };
export const sql = 'SELECT * FROM products WHERE brand = $1 ORDER BY price LIMIT 20';
export const seqScan = [
  'Limit  (cost=1251.00..1252.00 rows=20 width=8)',
  '  ->  Sort  (cost=1251.00..1252.00 rows=600 width=8)',
  '        Sort Key: price',
  '        ->  Seq Scan on products  (cost=0.00..1250.00 rows=600 width=8)',
  "              Filter: (brand = 'acme'::text)",
];

export function slowCapture(extra: Partial<QueryRecord> = { plan: seqScan }) {
  const query: QueryRecord = { driver: 'pg', sql, durationMs: 300, rows: 20, stack: [driver, repo], ...extra };
  return capture([1, 2, 3].map((id) => request({ id, items: 20, wallMs: 320, queries: [query] })));
}

/** One statement, slow in each of three runs, with its PostgreSQL plan: its slow-query finding. */
export function slowFinding(statement: string, plan: string[], items = 20) {
  const query: QueryRecord = {
    driver: 'pg',
    sql: statement,
    durationMs: 300,
    rows: items,
    stack: [driver, repo],
    plan,
  };
  const runs = [1, 2, 3].map((id) => request({ id, items, wallMs: 320, queries: [query] }));
  return diagnoseFully(capture(runs), rules).findings.find((f) => f.rule === 'slow-query');
}

export const schemaFile = [
  "import { pool } from './db.js';",
  'export const ready = pool.query(`',
  '  CREATE TABLE IF NOT EXISTS brands (id serial PRIMARY KEY, name text);',
  '  CREATE TABLE IF NOT EXISTS products (id serial PRIMARY KEY, brand text, price int);',
  '  CREATE INDEX IF NOT EXISTS products_price_idx ON products (price);',
  '`);',
].join('\n');

/** A paginator's total: most tickets are open, so PostgreSQL reads the table in parallel to count them. */
export const parallelCount = [
  'Finalize Aggregate  (cost=40515.88..40515.90 rows=1 width=4)',
  '  ->  Gather  (cost=40515.67..40515.88 rows=2 width=8)',
  '        Workers Planned: 2',
  '        ->  Partial Aggregate  (cost=39515.67..39515.68 rows=1 width=8)',
  '              ->  Parallel Seq Scan on tickets  (cost=0.00..38421.50 rows=437667 width=0)',
  "                    Filter: (status = 'open'::text)",
];

/** An ORM's paged ids of posts with their translations joined: every post joined before the 20 are kept. */
export const pagedPosts = [
  'Limit  (cost=16082.99..16083.04 rows=20 width=16)',
  '  ->  Sort  (cost=16082.99..16332.99 rows=100000 width=16)',
  '        Sort Key: p.id',
  '        ->  HashAggregate  (cost=12422.02..13422.02 rows=100000 width=16)',
  '              Group Key: p.id',
  '              ->  Hash Right Join  (cost=3185.00..11922.02 rows=200000 width=16)',
  '                    Hash Cond: (t.post_id = p.id)',
  '                    ->  Seq Scan on post_translations t  (cost=0.00..8212.00 rows=200000 width=16)',
  '                    ->  Hash  (cost=1935.00..1935.00 rows=100000 width=16)',
  '                          ->  Seq Scan on posts p  (cost=0.00..1935.00 rows=100000 width=16)',
];
