// MySQL/MariaDB plans list every SELECT of a statement: a derived table's or a UNION's own reads run once,
// not once per row of the outer SELECT's tables, so their rows are not multiplied by them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readPlan } from './plan-facts.js';

const sql = [
  'SELECT t.id, COUNT(r.team_id) FROM teams t LEFT JOIN (',
  ' SELECT f.home_team_id AS team_id FROM fixtures f WHERE f.season = ? AND f.status = ?',
  ' UNION ALL SELECT f.away_team_id FROM fixtures f WHERE f.season = ? AND f.status = ?',
  ') r ON r.team_id = t.id WHERE t.division = ? GROUP BY t.id',
].join('');

test("a derived table's reads are counted once, not once per row of the tables it is joined to", () => {
  // 20 teams × 38 rows of the derived table per team × 3,040 fixtures read was 2,310,400 "rows read"
  const mariadb = [
    'id=1 select_type=PRIMARY table=t type=ref key=teams_division_index rows=20 Extra=Using where; Using index',
    'id=1 select_type=PRIMARY table=<derived2> type=ref key=key0 rows=38 Extra=',
    'id=2 select_type=DERIVED table=f type=ref key=fixtures_season_kickoff_index rows=3040 Extra=Using where',
    'id=3 select_type=UNION table=f type=ref key=fixtures_season_kickoff_index rows=3040 Extra=Using where',
  ];
  const reads = readPlan('mariadb', mariadb, sql).filteredReads ?? [];
  assert.deepEqual(
    reads.map((read) => read.readRows),
    [3040, 3040],
  );
});

test('a dependent subquery runs again for each row around it: its reads are multiplied', () => {
  const mariadb = [
    'id=1 select_type=PRIMARY table=t type=ALL rows=20 Extra=Using where',
    'id=2 select_type=DEPENDENT SUBQUERY table=f type=ref key=fixtures_season_kickoff_index rows=3040 Extra=Using where',
  ];
  const reads = readPlan('mariadb', mariadb, sql).filteredReads ?? [];
  assert.equal(reads[0]?.readRows, 60_800);
});
