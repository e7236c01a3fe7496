// Lazy association getters called for each item of a list the request loaded (Sequelize's `entry.getPatient()`):
// the statement that loaded the items is the line to change (eager loading), not the loop around the getters.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryRecord, SourceLocation } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { capture, request } from '../test-support/captures.js';

const file = '/app/src/services/queue.js';
const source = (getter: string) =>
  [
    'async function toItem(entry) {', // 1
    `  const patient = await ${getter};`,
    '  const clinic = await entry.getClinic();', // 3
    '  return { id: entry.id, patient, clinic };',
    '}',
    'async function queue(specialty) {', // 6
    '  const entries = await Entry.findAll({ where: { specialty }, limit: 40 });',
    '  const items = [];',
    '  for (const entry of entries) {', // 9
    '    items.push(await toItem(entry));',
    '  }',
    '  return items;',
    '}',
  ].join('\n');

const frame = (line: number, functionName: string): SourceLocation => ({ file, line, column: 5, functionName });
const handler = frame(10, 'queue');

function page(): QueryRecord[] {
  const entries: QueryRecord = {
    driver: 'mysql2',
    sql: 'SELECT id, patient_id, clinic_id FROM entries WHERE specialty = ? LIMIT 40',
    durationMs: 3,
    rows: 40,
    stack: [frame(7, 'queue')],
  };
  const perItem = (table: string, line: number, i: number): QueryRecord => ({
    driver: 'mysql2',
    sql: `SELECT * FROM ${table} WHERE id = ?`,
    params: [i],
    durationMs: 1.2,
    rows: 1,
    stack: [frame(line, 'toItem'), handler],
  });
  const items = Array.from({ length: 40 }, (_, i) => [perItem('patients', 2, i), perItem('clinics', 3, i)]).flat();
  return [entries, ...items];
}

function top(getter: string) {
  const record = request({ url: '/queue', wallMs: 150, cpuMs: 40, items: 40, queries: page() });
  const found = diagnoseFully(capture([record]), rules, (path) => (path === file ? source(getter) : undefined));
  return found.findings.find((f) => f.rule === 'n-plus-one');
}

test("getters of each item's associations are fixed where the items are loaded: eager loading there", () => {
  const finding = top('entry.getPatient()');
  assert.equal(finding?.location?.line, 7);
  assert.match(
    finding?.title ?? '',
    /through lazy association getters at .*queue\.js:2 .*and line 3, on the rows loaded at/,
  );
  assert.match(finding?.suggestion ?? '', /Eager-load the associations .*include/);
});

test('per-item statements that are not getters of the item stay at the loop', () => {
  const finding = top('Patient.findByPk(entry.patientId)');
  assert.equal(finding?.location?.line, 10);
  assert.doesNotMatch(finding?.title ?? '', /lazy association/);
});
