// A search over several columns, each folded to lower case and matched against '%…%' (a CMS's full-text box):
// each column needs a trigram index of its own, on the folded expression the statement compares.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnoseFully, rules } from '../diagnose.js';
import { capture, request } from '../test-support/captures.js';
import { driver, repo } from '../test-support/slow-query.js';
import { wildcardAdvice, wildcardColumns } from './wildcard-search.js';

const search =
  'select "recipes"."id", "recipes"."name" from "recipes" where (LOWER("recipes"."name") LIKE ? or LOWER("recipes"."notes") LIKE ?) order by "recipes"."id" asc limit ?';
const plan = [
  'Limit  (cost=16536.37..16540.34 rows=34 width=120)',
  '  ->  Sort  (cost=15536.35..15536.39 rows=17 width=120)',
  '        Sort Key: id',
  '        ->  Seq Scan on recipes  (cost=0.00..15536.00 rows=17 width=120)',
  "              Filter: ((lower((name)::text) ~~ '%pie%'::text) OR (lower(notes) ~~ '%pie%'::text))",
];

test('PostgreSQL: an OR of folded searches wants one trigram index per column, on the folded expression', () => {
  const advice = wildcardAdvice('pg', 'recipes', ['name', 'notes'], search);
  assert.match(advice, /one for each searched column/);
  assert.match(
    advice,
    /CREATE INDEX ON recipes USING gin \(lower\(name\) gin_trgm_ops\); CREATE INDEX ON recipes USING gin \(lower\(notes\) gin_trgm_ops\)/,
  );
  // a plain column, searched as it is
  assert.match(
    wildcardAdvice('pg', 'recipes', ['name'], 'SELECT * FROM recipes WHERE name ILIKE $1'),
    /gin \(name gin_trgm_ops\)/,
  );
});

test('slow-query proposes no B-tree index on the folded columns a wildcard search compares', () => {
  const runs = [1, 2, 3].map((id) =>
    request({
      id,
      items: 20,
      wallMs: 900,
      queries: [{ driver: 'pg', sql: search, durationMs: 850, rows: 20, stack: [driver, repo], plan }],
    }),
  );
  const slow = diagnoseFully(capture(runs), rules).findings.find((f) => f.rule === 'slow-query');
  assert.match(slow?.suggestion ?? '', /gin \(lower\(notes\) gin_trgm_ops\)/);
  assert.doesNotMatch(`${slow?.title} ${slow?.suggestion}`, /CREATE INDEX ON recipes \(lower/);
});

// A search box sent as an unanchored regular expression (`title ~ 'tea'`): it finds the text anywhere in the
// value, as LIKE '%tea%' does, so a trigram index serves it and a B-tree on the column does not.
test('PostgreSQL: an unanchored regular expression match is a wildcard search; one anchored by ^ is not', () => {
  const open = ["Filter: ((title ~ 'green tea'::text) AND ((acl IS NULL) OR (acl && '{*}'::text[])))"];
  assert.deepEqual(wildcardColumns('pg', undefined, open), ['title']);
  assert.deepEqual(wildcardColumns('pg', undefined, ["Filter: ((title)::text ~* 'tea'::text)"]), ['title']);
  assert.deepEqual(wildcardColumns('pg', undefined, ["Filter: (title ~ '^Green'::text)"]), []);
  const sql = 'SELECT * FROM "posts" WHERE "title" ~ $1 AND ("acl" IS NULL OR "acl" && ARRAY[$2]) LIMIT $3';
  const advice = wildcardAdvice('pg', 'posts', ['title'], sql);
  assert.match(advice, /^a regular expression match on title/);
  assert.match(advice, /CREATE INDEX ON posts USING gin \(title gin_trgm_ops\)/);
  const runs = [1, 2, 3].map((id) =>
    request({
      id,
      items: 20,
      wallMs: 900,
      queries: [
        {
          driver: 'pg',
          sql,
          durationMs: 850,
          rows: 20,
          stack: [driver, repo],
          plan: [
            'Limit  (cost=0.00..21500.00 rows=10 width=721)',
            `  ->  Seq Scan on posts  (cost=0.00..21500.00 rows=10 width=721)`,
            `        ${open[0]}`,
          ],
        },
      ],
    }),
  );
  const slow = diagnoseFully(capture(runs), rules).findings.find((f) => f.rule === 'slow-query');
  assert.match(slow?.suggestion ?? '', /gin \(title gin_trgm_ops\)/);
  assert.doesNotMatch(`${slow?.title} ${slow?.suggestion}`, /CREATE INDEX ON posts \((title|acl)/);
});
