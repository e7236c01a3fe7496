// A subquery that names the outer row's column runs again for each row it is asked for: the runs' lookups
// together, not the outer table's small whole read, are the statement's cost (MySQL/MariaDB plans).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnoseFully, rules } from '../diagnose.js';
import { capture, request } from '../test-support/captures.js';
import { driver, repo } from '../test-support/slow-query.js';
import { perRowSubquery } from './per-row-subquery.js';

// a forum's board list: each board with the number of open threads in it, boards by name, a page of 50
const boards = [
  'SELECT b.*, (SELECT COUNT(DISTINCT t.id) FROM threads t LEFT JOIN replies r ON r.thread_id = t.id',
  ' WHERE t.board_id = b.id AND t.state = ?) AS open_threads FROM boards b ORDER BY b.title LIMIT ?',
].join('');
const boardsPlan = [
  'id=1 select_type=PRIMARY table=b type=ALL possible_keys=NULL key=NULL rows=240 Extra=Using filesort',
  'id=2 select_type=DEPENDENT SUBQUERY table=t type=ref possible_keys=threads_board_id key=threads_board_id rows=400 Extra=Using where',
  'id=2 select_type=DEPENDENT SUBQUERY table=r type=ref possible_keys=replies_thread_id key=replies_thread_id rows=1 Extra=Using index',
];

test('a count per row of a small sorted table: its runs are named, with the column they match by', () => {
  const found = perRowSubquery('mysql2', boardsPlan, boards, 50);
  assert.deepEqual(found, {
    outer: 'boards',
    tables: ['threads', 'replies'],
    runs: 50,
    perRun: 400,
    inSelectList: true,
    aggregate: true,
    matchedBy: 'threads.board_id',
  });
});

test('a subquery in the WHERE runs once per row examined', () => {
  const sql = 'SELECT * FROM members m WHERE EXISTS (SELECT 1 FROM payments p WHERE p.member_id = m.id AND p.kind = ?)';
  const plan = [
    'id=1 select_type=PRIMARY table=m type=ALL possible_keys=NULL key=NULL rows=900 Extra=Using where',
    'id=2 select_type=DEPENDENT SUBQUERY table=p type=ref possible_keys=payments_member key=payments_member rows=30 Extra=Using where',
  ];
  const found = perRowSubquery('mysql', plan, sql, 12);
  assert.equal(found?.runs, 900);
  assert.equal(found?.inSelectList, false);
  assert.equal(found?.aggregate, false);
  assert.equal(found?.matchedBy, 'payments.member_id');
});

test('not said: a run that reads its table whole (its index is the fix), few lookups, other servers, no DEPENDENT', () => {
  const whole = [boardsPlan[0] ?? '', boardsPlan[1]?.replace('type=ref', 'type=ALL') ?? ''];
  assert.equal(perRowSubquery('mysql2', whole, boards, 50), undefined);
  assert.equal(perRowSubquery('mysql2', boardsPlan, boards, 2), undefined, '2 runs × 400 rows');
  assert.equal(perRowSubquery('pg', boardsPlan, boards, 50), undefined);
  const materialized = boardsPlan.map((line) => line.replace('DEPENDENT SUBQUERY', 'MATERIALIZED'));
  assert.equal(perRowSubquery('mysql2', materialized, boards, 50), undefined);
  // an outer table read whole that is as large as the runs' lookups is still the read to fix
  const large = [boardsPlan[0]?.replace('rows=240', 'rows=20000') ?? '', ...boardsPlan.slice(1)];
  assert.equal(perRowSubquery('mysql2', large, boards, 50), undefined);
});

test('slow-query names the per-row subquery and a grouped pass, not an index on the small sorted table', () => {
  const runs = [1, 2, 3].map((id) =>
    request({
      id,
      items: 50,
      wallMs: 900,
      queries: [{ driver: 'mysql2', sql: boards, durationMs: 850, rows: 50, stack: [driver, repo], plan: boardsPlan }],
    }),
  );
  const slow = diagnoseFully(capture(runs), rules).findings.find((f) => f.rule === 'slow-query');
  assert.match(
    slow?.title ?? '',
    /its subquery on threads, replies runs once per row of boards it returns \(50 runs\)/,
  );
  assert.match(slow?.title ?? '', /≈20,000 lookups a statement/);
  assert.doesNotMatch(slow?.title ?? '', /CREATE INDEX/);
  assert.match(
    slow?.suggestion ?? '',
    /one grouped pass: join boards to \(SELECT threads\.board_id, .* GROUP BY threads\.board_id\)/,
  );
  assert.notEqual(slow?.severity, 'info');
});
