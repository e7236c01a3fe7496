import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryRecord, SourceLocation } from '../../capture/types.js';
import { request } from '../test-support/captures.js';
import { stretchStatement } from './stretch-statement.js';

const at = (line: number): SourceLocation => ({ file: '/app/src/routes/orders.ts', line, column: 9 });
const statement = (sql: string, startMs: number, durationMs: number, line: number): QueryRecord => ({
  driver: 'mysql2',
  sql,
  startMs,
  durationMs,
  rows: 1,
  stack: [],
  location: at(line),
});

test("a stretch opened by a statement's result is its rows' handling; one just before a statement prepared it", () => {
  // an order found with its 700 lines (their entities built as the rows arrive), then saved with them
  const found = statement('SELECT `Order`.`id` … LEFT JOIN `order_lines` …', 58, 24, 62);
  const saved = statement('SELECT `OrderLine`.`id` … WHERE `OrderLine`.`id` IN (…)', 790, 11, 70);
  const handling = request({ blocking: [{ startMs: 67, durationMs: 720 }], queries: [found, saved] });
  assert.deepEqual(stretchStatement(handling), { location: at(62), relation: 'handled', sql: found.sql });
  // the rows came back early; the stretch is the save's preparation, right before its first statement
  const quick = statement(found.sql, 58, 3, 62);
  const preparing = request({ blocking: [{ startMs: 67, durationMs: 720 }], queries: [quick, saved] });
  assert.deepEqual(stretchStatement(preparing), { location: at(70), relation: 'prepared', sql: saved.sql });
});

test('a stretch with no statement at either end names none', () => {
  const alone = request({
    blocking: [{ startMs: 200, durationMs: 300 }],
    queries: [statement('SELECT 1', 10, 2, 5), statement('SELECT 2', 900, 2, 9)],
  });
  assert.equal(stretchStatement(alone), undefined);
  assert.equal(stretchStatement(request({ queries: [statement('SELECT 1', 10, 2, 5)] })), undefined);
});
