import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnoseFully, rules } from '../diagnose.js';
import { capture, request } from '../test-support/captures.js';
import { driver, repo } from '../test-support/slow-query.js';
import { topPerParent, topPerParentAdvice } from './top-per-parent.js';

test("a statement that keeps one parent's first rows is a top-N per group, not an IN list", () => {
  // a dashboard's last readings of each sensor, asked once per sensor
  assert.deepEqual(topPerParent('SELECT * FROM readings WHERE sensor_id = ? ORDER BY taken_at DESC LIMIT ?'), {
    parent: 'sensor_id',
    order: 'taken_at',
  });
  assert.deepEqual(
    topPerParent('select "r".* from "readings" as "r" where "r"."sensor_id" = $1 order by "r"."taken_at" desc limit 1'),
    { parent: 'sensor_id', order: 'taken_at' },
  );
  const advice = topPerParentAdvice({ parent: 'sensor_id', order: 'taken_at' });
  assert.match(advice, /LATERAL/);
  assert.match(advice, /PARTITION BY sensor_id ORDER BY taken_at DESC/);
  assert.doesNotMatch(advice, /^Load the related rows/);
});

test('a lookup without an order and a limit, or with more conditions, is no top-N', () => {
  assert.equal(topPerParent('SELECT * FROM tags WHERE post_id = ?'), undefined);
  assert.equal(
    topPerParent('SELECT * FROM readings WHERE sensor_id = ? AND kind = ? ORDER BY taken_at LIMIT 5'),
    undefined,
  );
  assert.equal(topPerParent('SELECT * FROM readings WHERE sensor_id = ? ORDER BY taken_at'), undefined);
});

test('n-plus-one advises a top-N per group for a loop of one-parent top-N statements', () => {
  const sql = 'SELECT * FROM readings WHERE sensor_id = ? ORDER BY taken_at DESC LIMIT ?';
  const queries = Array.from({ length: 40 }, () => ({
    driver: 'mysql2',
    sql,
    durationMs: 6,
    rows: 100,
    stack: [driver, repo],
  }));
  const runs = [1, 2, 3].map((id) => request({ id, items: 4000, wallMs: 400, queries }));
  const found = diagnoseFully(capture(runs), rules).findings.find((f) => f.rule === 'n-plus-one');
  assert.match(found?.suggestion ?? '', /top-N per group/);
});
