import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parallelCount } from '../test-support/slow-query.js';
import { countedRows } from './counted-rows.js';

test('a count over most of a table: the rows the plan expects to count, a parallel scan per process times its share', () => {
  const sql = 'SELECT count(*)::int AS n FROM tickets WHERE status = $1';
  // 437,667 per process × (2 workers + the leader's 0.4)
  assert.equal(countedRows('pg', parallelCount, sql), 1_050_401);
  // MariaDB counting through an index on status still reads each of its entries
  const my = ['table=tickets type=ref possible_keys=status_idx key=status_idx rows=700000 Extra=Using index'];
  assert.equal(countedRows('mysql2', my, 'SELECT COUNT(*) AS total FROM tickets WHERE status = ?'), 700_000);
});

test('not a counted total: a count of few rows, a count beside other columns or per group, a plain read', () => {
  const few = [
    'Aggregate  (cost=8.4..8.5 rows=1 width=8)',
    '  ->  Index Only Scan using t_owner on t  (cost=0.4..8.4 rows=40 width=0)',
  ];
  assert.equal(countedRows('pg', few, 'SELECT count(*) FROM t WHERE owner = $1'), undefined);
  const big = ['Seq Scan on t  (cost=0.00..38421.50 rows=900000 width=0)'];
  assert.equal(countedRows('pg', big, 'SELECT status, count(*) FROM t GROUP BY status'), undefined);
  assert.equal(countedRows('pg', big, 'SELECT id, count(*) OVER () FROM t'), undefined);
  assert.equal(countedRows('pg', big, 'SELECT * FROM t WHERE status = $1'), undefined);
  assert.equal(countedRows('better-sqlite3', ['SCAN t'], 'SELECT count(*) FROM t'), undefined);
});
