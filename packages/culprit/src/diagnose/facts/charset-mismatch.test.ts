// A join of two columns declared in different character sets: the schema says so where EXPLAIN does not
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryRecord, SourceLocation } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { declarationsIn } from '../schema/table-declarations.js';
import { capture, request } from '../test-support/captures.js';
import { driver } from '../test-support/slow-query.js';

// a parts catalogue whose supplier table came over from an old system in latin1; order lines are utf8mb4
const schemaSql = [
  'CREATE TABLE suppliers (',
  '  id INT PRIMARY KEY,',
  '  code VARCHAR(16) NOT NULL,',
  '  name VARCHAR(120) NOT NULL,',
  '  UNIQUE KEY uq_suppliers_code (code)',
  ') ENGINE=InnoDB DEFAULT CHARSET=latin1;',
  '',
  'CREATE TABLE order_lines (',
  '  id BIGINT PRIMARY KEY,',
  '  order_id INT NOT NULL,',
  '  supplier_code VARCHAR(16) NOT NULL,',
  '  KEY idx_lines_order (order_id)',
  ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;',
].join('\n');

const lines =
  'SELECT l.id, s.name FROM order_lines l LEFT JOIN suppliers s ON s.code = l.supplier_code WHERE l.order_id = ?';
const plan = [
  // the order's lines are sorted by id, at the join's first table: the supplier rows are not sorted by themselves
  'table=l type=ref possible_keys=idx_lines_order key=idx_lines_order rows=30 Extra=Using temporary; Using filesort',
  'table=s type=ALL possible_keys=NULL key=NULL rows=80000 Extra=Using where; Using join buffer (flat, BNL join)',
];
const route: SourceLocation = { file: '/app/src/routes/orders.js', line: 14, column: 5, functionName: 'orderLines' };

function topFinding(schemaText: string) {
  const query: QueryRecord = { driver: 'mariadb', sql: lines, durationMs: 400, rows: 30, stack: [driver, route], plan };
  const runs = [1, 2, 3].map((id) => request({ id, items: 30, wallMs: 420, queries: [query] }));
  const schema = declarationsIn('/app/db/schema.sql', schemaText);
  return diagnoseFully(capture(runs), rules, undefined, schema).findings[0];
}

test('the schema declares each table in its character set, and a column of its own in its own', () => {
  const declared = declarationsIn('/app/db/schema.sql', schemaSql).filter((d) => d.kind === 'table');
  assert.deepEqual(
    declared.map((d) => [d.names[0], d.charset]),
    [
      ['suppliers', { name: 'latin1', line: 6 }],
      ['order_lines', { name: 'utf8mb4', line: 13 }],
    ],
  );
  const ascii = declarationsIn(
    '/app/db/codes.sql',
    'CREATE TABLE codes (\n  code VARCHAR(8) CHARACTER SET ascii NOT NULL\n);',
  );
  assert.deepEqual(ascii[0]?.columnCharsets, { code: { name: 'ascii', line: 2 } });
});

test('a join of a latin1 column with a utf8mb4 one: the latin1 declaration is the fix, not a new index', () => {
  const top = topFinding(schemaSql);
  assert.equal(top?.rule, 'slow-query');
  assert.match(top?.title ?? '', /compares suppliers\.code \(latin1\) with order_lines\.supplier_code \(utf8mb4\)/);
  assert.doesNotMatch(top?.title ?? '', /CREATE INDEX/);
  assert.match(top?.title ?? '', /reads all of suppliers, since/);
  assert.deepEqual([top?.location?.file, top?.location?.line], ['/app/db/schema.sql', 6]);
  assert.match(top?.suggestion ?? '', /ALTER TABLE suppliers CONVERT TO CHARACTER SET utf8mb4/);
});

test('the same join in one character set is not a conversion (the index is what is missing)', () => {
  const top = topFinding(schemaSql.replace('CHARSET=latin1', 'CHARSET=utf8mb4'));
  assert.doesNotMatch(top?.title ?? '', /compares suppliers\.code/);
  assert.doesNotMatch(top?.suggestion ?? '', /CHARACTER SET/);
});
