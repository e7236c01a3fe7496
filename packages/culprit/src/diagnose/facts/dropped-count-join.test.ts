import assert from 'node:assert/strict';
import { test } from 'node:test';
import { droppedCountJoin } from './dropped-count-join.js';

// a count of one assignee's tickets, written with the page's LEFT JOIN to the ticket's team (at most one each)
const COUNT =
  'select count(*) as "total" from "tickets" as "t" left join "teams" as "tm" on "t"."team_id" = "tm"."id" where "t"."assignee_id" = $1';
// PostgreSQL drops the join and reads each of the assignee's tickets from the table, by the assignee index
const BITMAP_PLAN = [
  'Aggregate  (cost=4210.50..4210.51 rows=1 width=8)',
  '  ->  Bitmap Heap Scan on tickets t  (cost=180.20..4170.10 rows=16160 width=0)',
  '        Recheck Cond: (assignee_id = 7)',
  '        ->  Bitmap Index Scan on tickets_assignee_id_idx  (cost=0.00..176.16 rows=16160 width=0)',
  '              Index Cond: (assignee_id = 7)',
];

test('a plain count over a LEFT JOIN PostgreSQL drops reads each counted row for the join column', () => {
  assert.deepEqual(droppedCountJoin(COUNT, BITMAP_PLAN), {
    counted: 'tickets',
    joined: ['teams'],
    dropped: { joinColumns: ['team_id'], index: 'tickets_assignee_id_idx', rows: 16160 },
  });
  // unquoted, no alias, read by a plain index scan
  assert.deepEqual(
    droppedCountJoin(
      'SELECT count(1) FROM tickets LEFT JOIN teams ON tickets.team_id = teams.id WHERE tickets.assignee_id = ?',
      [
        'Aggregate  (cost=900.10..900.11 rows=1 width=8)',
        '  ->  Index Scan using tickets_assignee_id_idx on tickets  (cost=0.42..880.00 rows=2400 width=0)',
        '        Index Cond: (assignee_id = 7)',
      ],
    ),
    {
      counted: 'tickets',
      joined: ['teams'],
      dropped: { joinColumns: ['team_id'], index: 'tickets_assignee_id_idx', rows: 2400 },
    },
  );
});

test('a count whose join PostgreSQL keeps, or whose rows must be read anyway, is not this', () => {
  // the plan still reads the joined table: the join may repeat rows, so the count needs it
  assert.equal(
    droppedCountJoin(COUNT, [
      'Aggregate  (cost=6000.00..6000.01 rows=1 width=8)',
      '  ->  Hash Left Join  (cost=40.00..5960.00 rows=16160 width=0)',
      '        Hash Cond: (t.team_id = tm.id)',
      '        ->  Bitmap Heap Scan on tickets t  (cost=180.20..4170.10 rows=16160 width=0)',
      '              Recheck Cond: (assignee_id = 7)',
      '              ->  Bitmap Index Scan on tickets_assignee_id_idx  (cost=0.00..176.16 rows=16160 width=0)',
      '                    Index Cond: (assignee_id = 7)',
      '        ->  Hash  (cost=26.00..26.00 rows=1000 width=4)',
      '              ->  Seq Scan on teams tm  (cost=0.00..26.00 rows=1000 width=4)',
    ]),
    undefined,
  );
  // already answered from the index alone
  assert.equal(
    droppedCountJoin(COUNT, [
      'Aggregate  (cost=500.00..500.01 rows=1 width=8)',
      '  ->  Index Only Scan using tickets_assignee_id_idx on tickets t  (cost=0.29..460.00 rows=16160 width=0)',
      '        Index Cond: (assignee_id = 7)',
    ]),
    undefined,
  );
  // a condition on another column of the table needs its rows read whatever the join
  assert.equal(
    droppedCountJoin(`${COUNT} and "t"."status" = $2`, [
      'Aggregate  (cost=4210.50..4210.51 rows=1 width=8)',
      '  ->  Bitmap Heap Scan on tickets t  (cost=180.20..4170.10 rows=800 width=0)',
      '        Recheck Cond: (assignee_id = 7)',
      "        Filter: (status = 'open'::text)",
      '        ->  Bitmap Index Scan on tickets_assignee_id_idx  (cost=0.00..176.16 rows=16160 width=0)',
      '              Index Cond: (assignee_id = 7)',
    ]),
    undefined,
  );
  // the joined table is filtered on: the join is used
  assert.equal(
    droppedCountJoin(
      'select count(*) from tickets t left join teams tm on t.team_id = tm.id where tm.region = $1',
      BITMAP_PLAN,
    ),
    undefined,
  );
  // DISTINCT counts are the needless-join rule's; grouped counts are one per group
  assert.equal(
    droppedCountJoin(
      'select count(distinct t.id) from tickets t left join teams tm on t.team_id = tm.id where t.assignee_id = $1',
      BITMAP_PLAN,
    ),
    undefined,
  );
  assert.equal(droppedCountJoin(`${COUNT} group by "t"."status"`, BITMAP_PLAN), undefined);
});
