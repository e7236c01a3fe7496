// A page of a user's newest documents: the documents are sorted whole (no index on the sort column), and the
// link table is read whole to filter it by user, though the migrations declare an index on that column: every
// link belongs to the one user, so the planner passes the index over. Adding it again is not the fix; the sort's
// index is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryRecord } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { declarationsIn } from '../schema/table-declarations.js';
import { capture, request } from '../test-support/captures.js';
import { driver, repo } from '../test-support/slow-query.js';

const migration = [
  'exports.up = async (knex) => {',
  "  await knex.schema.createTable('documents', (t) => { t.string('id').primary(); t.bigInteger('changed_at'); });",
  "  await knex.schema.createTable('memberships', (t) => { t.string('user_id'); t.string('document_id'); });",
  "  await knex.schema.alterTable('memberships', (t) => {",
  "    t.unique(['user_id', 'document_id']);",
  "    t.index('document_id');",
  '  });',
  '};',
].join('\n');

const statement =
  'select d.id, d.changed_at from memberships m inner join documents d on m.document_id = d.id where m.user_id = $1 order by d.changed_at desc limit $2';
const plan = [
  'Limit  (cost=5091.05..5091.30 rows=100 width=67)',
  '  ->  Sort  (cost=5091.05..5128.93 rows=15150 width=67)',
  '        Sort Key: d.changed_at DESC',
  '        ->  Hash Join  (cost=566.75..4512.03 rows=15150 width=67)',
  '              Hash Cond: ((d.id)::text = (m.document_id)::text)',
  '              ->  Seq Scan on documents d  (cost=0.00..3905.50 rows=15150 width=67)',
  '              ->  Hash  (cost=377.38..377.38 rows=15150 width=23)',
  '                    ->  Seq Scan on memberships m  (cost=0.00..377.38 rows=15150 width=23)',
  "                          Filter: ((user_id)::text = 'u1'::text)",
];

test('a table read whole to filter it on a column the app already indexes: the index is named, not proposed again', () => {
  const query: QueryRecord = { driver: 'pg', sql: statement, durationMs: 150, rows: 100, stack: [driver, repo], plan };
  const runs = [1, 2, 3].map((id) => request({ id, items: 100, wallMs: 170, queries: [query] }));
  const schema = declarationsIn('/app/migrations/001_init.js', migration);
  const found = diagnoseFully(capture(runs), rules, undefined, schema).findings.find((f) => f.rule === 'slow-query');
  assert.match(found?.title ?? '', /CREATE INDEX ON documents \(changed_at\)/);
  assert.match(
    found?.title ?? '',
    /all of memberships to filter it, though the app declares an index on \(user_id, document_id\)/,
  );
  assert.doesNotMatch(`${found?.title} ${found?.suggestion}`, /CREATE INDEX ON memberships/);
  // without the declaration, the filter's index is proposed as before
  const blind = diagnoseFully(capture(runs), rules).findings.find((f) => f.rule === 'slow-query');
  assert.match(blind?.suggestion ?? '', /CREATE INDEX ON memberships \(user_id\)/);
});

test("a schema builder's .index('col') and .unique(['a', 'b']) keep their columns; a chained .index() has none", () => {
  const indexes = declarationsIn('/app/migrations/001_init.js', migration).filter((d) => d.kind === 'index');
  assert.deepEqual(
    indexes.map((d) => d.columns),
    [['user_id', 'document_id'], ['document_id']],
  );
  const chained = "exports.up = (knex) => knex.schema.createTable('tags', (t) => { t.string('name').index(); });";
  const [tag] = declarationsIn('/app/migrations/002_tags.js', chained).filter((d) => d.kind === 'index');
  assert.equal(tag?.columns, undefined);
});
