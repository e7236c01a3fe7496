import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryRecord, SourceLocation } from '../capture/types.js';
import { divergingFrame, formatChain } from './blame.js';

const frame = (functionName: string, file: string, line: number, pkg?: string): SourceLocation => ({
  functionName,
  file,
  line,
  column: 1,
  ...(pkg ? { package: pkg } : {}),
});

const orm = frame('getMany', '/app/node_modules/typeorm/SelectQueryBuilder.js', 832, 'typeorm');
const tick = frame('processTicksAndRejections', 'node:internal/process/task_queues', 95);

/** Stacks as the probe records them (innermost first), shaped like ephemera's with the incident on. */
function query(rows: number, ...appFrames: SourceLocation[]): QueryRecord {
  return { driver: 'better-sqlite3', sql: 'SELECT ?', durationMs: 1, rows, stack: [orm, tick, ...appFrames] };
}

const fetchOne = query(
  1,
  frame('get', '/app/src/api/queryset.ts', 44),
  frame('getObject', '/app/src/api/viewset.ts', 63),
  frame('retrieve', '/app/src/api/viewset.ts', 79),
);
const tableLoad = query(
  30_000,
  frame('all', '/app/src/api/queryset.ts', 62),
  frame('isTruthy', '/app/src/api/queryset.ts', 72),
  frame('getSerializer', '/app/src/api/incident.ts', 14),
  frame('retrieve', '/app/src/api/viewset.ts', 80),
);
const recordView = query(
  1,
  frame('performRetrieve', '/app/src/api/viewsets.ts', 45),
  frame('retrieve', '/app/src/api/viewset.ts', 81),
);

test('blames the frame where the table load leaves the path of the other queries', () => {
  const blamed = divergingFrame(tableLoad, [fetchOne, tableLoad, recordView]);
  assert.equal(blamed?.functionName, 'getSerializer');
  assert.equal(blamed?.line, 14);
});

test('without other queries, blames the issuing location', () => {
  const alone = { ...tableLoad, location: frame('all', '/app/src/api/queryset.ts', 62) };
  assert.equal(divergingFrame(alone, [alone])?.line, 62);
});

test('without stacks, blames the issuing location', () => {
  const { stack: _dropped, ...bare } = tableLoad;
  const location = frame('all', '/app/src/api/queryset.ts', 62);
  assert.deepEqual(divergingFrame({ ...bare, location }, [fetchOne]), location);
});

test('the chain reads from the handler down to the query', () => {
  assert.equal(
    formatChain([
      frame('retrieve', '/app/src/api/viewset.ts', 80),
      frame('getSerializer', '/app/src/api/incident.ts', 14),
    ]),
    'retrieve (viewset.ts:80) → getSerializer (incident.ts:14)',
  );
});
