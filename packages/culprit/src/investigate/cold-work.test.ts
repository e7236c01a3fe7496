import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryRecord } from '../capture/types.js';
import { request } from '../diagnose/test-support/captures.js';
import { coldWorkNote } from './cold-work.js';

const at = (line: number, rows: number, durationMs = 5): QueryRecord => ({
  driver: 'mysql2',
  sql: `SELECT * FROM stats WHERE sensor_id = ? /* ${line} */`,
  durationMs,
  rows,
  stack: [],
  location: { file: '/srv/app/src/stats-cache.js', line, column: 1 },
});

test('a first run that filled a per-process cache says what it read, and where, besides what every run reads', () => {
  // a dashboard: each run reads 40 sensors' latest values (line 12); the first also loads each sensor's day of
  // minutes and month of hours into memory (lines 30 and 44), which later runs read from the cache
  const every = Array.from({ length: 40 }, () => at(12, 10));
  const cold = request({
    queries: [...every, ...every.map(() => at(30, 1440, 40)), ...every.map(() => at(44, 720, 20))],
  });
  const warm = request({ queries: every });
  const note = coldWorkNote(cold, warm, (file) => file.replace('/srv/app/', ''));
  assert.match(note ?? '', /^the cold run also ran 80 statements \(86,400 rows, 2400 ms\) that the warm run did not/);
  assert.match(note ?? '', /from src\/stats-cache\.js:30 \(40×\), src\/stats-cache\.js:44 \(40×\)/);
  assert.match(note ?? '', /the first request after every start waits for/);
});

test('a first run that read a settings row or two more is no news', () => {
  const every = Array.from({ length: 40 }, () => at(12, 10));
  const cold = request({ queries: [...every, at(5, 1), at(6, 3)] });
  assert.equal(coldWorkNote(cold, request({ queries: every })), undefined);
});
