import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FoldedQueries, QueryRecord, RequestRecord, RowsRead, SourceLocation } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { factsOf } from '../facts/request-facts.js';
import { capture, request } from '../test-support/captures.js';
import { wideColumns } from './wide-columns.js';

const driver: SourceLocation = { file: '/app/node_modules/pg/lib/client.js', line: 500, column: 1, package: 'pg' };
const handler: SourceLocation = { file: '/app/src/routes/docs.js', line: 9, column: 5, functionName: 'listDocs' };
const service: SourceLocation = { file: '/app/src/services/docs.js', line: 21, column: 10, functionName: 'summaries' };
const repo: SourceLocation = { file: '/app/src/repos/docs.js', line: 7, column: 18, functionName: 'all' };
const sql = 'SELECT * FROM documents WHERE folder_id = $1 ORDER BY id';

/** A first row of id, title, created_at, a 50 KB body and 60 KB of rendered HTML. */
const docRow = (rows: number): RowsRead => ({
  bytes: rows * (8 + 24 + 8 + 50_000 + 60_000),
  wide: [
    { name: 'rendered_html', bytes: 60_000 },
    { name: 'body', bytes: 50_000 },
  ],
  narrow: ['id', 'title', 'created_at'],
});

function query(overrides: Partial<QueryRecord> = {}): QueryRecord {
  return {
    driver: 'pg',
    sql,
    durationMs: 94,
    rows: 300,
    read: docRow(300),
    stack: [driver, repo, service, handler],
    ...overrides,
  };
}

function run(records: RequestRecord[]) {
  return wideColumns.run(factsOf(capture(records)));
}

const list = (queries: QueryRecord[], overrides: Partial<RequestRecord> = {}): RequestRecord =>
  request({ url: '/api/folders/3/docs', wallMs: 110, cpuMs: 60, bytes: 47_000, items: 300, queries, ...overrides });

test('a list that selects every column of 300 documents for 47 KB of summaries: the wide columns, at the repository', () => {
  const [finding, more] = run([list([query()])]);
  assert.equal(more, undefined);
  assert.equal(finding?.rule, 'wide-columns');
  assert.deepEqual(finding?.location, repo, "the statement's line, not the service or handler above it");
  assert.match(finding?.title ?? '', /reads 33\.0 MB of the wide columns rendered_html and body to send 47 KB/);
  assert.match(finding?.title ?? '', /repos\/docs\.js:7 \(all\) selects every column for 300 rows \(94\.0 ms\)/);
  assert.equal(finding?.severity, 'critical');
  assert.ok((finding?.savesMs ?? 0) > 80);
  const evidence = Object.fromEntries(finding?.evidence.map((e) => [e.label, e.value]) ?? []);
  assert.match(evidence['bytes read vs sent'] ?? '', /33\.0 MB read .* 47 KB sent: 702x/);
  assert.equal(evidence['other columns'], 'id, title, created_at');
  assert.match(evidence['called through'] ?? '', /listDocs .*→ summaries .*→ all/);
  assert.match(finding?.suggestion ?? '', /only the columns the response needs \(of id, title and created_at\)/);
});

test('the same statement slow by itself is one finding: the slow query is folded into the wide columns', () => {
  const runs = [1, 2, 3].map((id) => list([query()], { id }));
  const { findings } = diagnoseFully(capture(runs), rules);
  assert.equal(findings[0]?.rule, 'wide-columns');
  assert.equal(findings.filter((f) => f.rule === 'slow-query').length, 0);
  assert.ok(findings[0]?.evidence.some((e) => e.label === 'the query itself' && /94\.0 ms/.test(e.value)));
});

test('a response that carries the wide columns is no finding (a download, a full export)', () => {
  // one document downloaded: 110 KB read, 110 KB sent
  const one = query({ rows: 1, read: docRow(1), sql: 'SELECT * FROM documents WHERE id = $1' });
  assert.deepEqual(run([list([one], { bytes: 112_000, items: 1 })]), []);
  // a big one: 12 MB read, 12 MB sent
  const big: RowsRead = { bytes: 12_000_100, wide: [{ name: 'content', bytes: 12_000_000 }], narrow: ['id'] };
  assert.deepEqual(run([list([query({ rows: 1, read: big })], { bytes: 12_400_000, items: 1 })]), []);
  // every body of the folder, gzipped: 33 MB read, 6 MB sent
  assert.deepEqual(run([list([query()], { bytes: 6_000_000 })]), []);
});

test('no wide column, or too little read, is no finding', () => {
  // 300 rows of 40 small columns: 3 MB read for 47 KB, but no column is a document
  const narrow: RowsRead = { bytes: 300 * 10_000 };
  assert.deepEqual(run([list([query({ read: narrow })])]), []);
  // a page of ten documents for 2 KB of titles reads 1.1 MB: reported; five (550 KB) are not
  assert.equal(run([list([query({ rows: 10, read: docRow(10) })], { bytes: 2_000 })]).length, 1);
  assert.deepEqual(run([list([query({ rows: 5, read: docRow(5) })], { bytes: 2_000 })]), []);
  // a write that returned rows (UPDATE … RETURNING *) is not a select to narrow here
  assert.deepEqual(run([list([query({ sql: 'UPDATE documents SET seen = true RETURNING *' })])]), []);
});

test('a HEAD or a 304 sends no body: not judged by it', () => {
  assert.deepEqual(run([list([query()], { method: 'HEAD', bytes: 0 })]), []);
  assert.deepEqual(run([list([query()], { status: 304, bytes: 0 })]), []);
});

test('one statement per item adds up: 300 single-row reads of a document are one finding', () => {
  const perItem = Array.from({ length: 300 }, () =>
    query({ sql: 'SELECT * FROM documents WHERE id = $1', rows: 1, durationMs: 0.4, read: docRow(1) }),
  );
  const findings = run([list(perItem)]);
  assert.equal(findings.length, 1);
  assert.match(findings[0]?.title ?? '', /for 300 rows over 300 statements/);
  assert.deepEqual(findings[0]?.location, repo);
});

test('queries past the detail limit (folded) are judged on their summed bytes', () => {
  const folded: FoldedQueries = {
    driver: 'mysql2',
    sql: 'SELECT * FROM pages WHERE site_id = ?',
    location: repo,
    stack: [driver, repo, handler],
    count: 500,
    rows: 500,
    durationMs: 400,
    errors: 0,
    read: { bytes: 500 * 8_100, wide: [{ name: 'html', bytes: 8_000 }], narrow: ['id', 'slug'] },
  };
  const [finding] = run([list([], { foldedQueries: [folded], bytes: 30_000, wallMs: 600 })]);
  assert.match(finding?.title ?? '', /reads 4\.0 MB of the wide column html to send 30 KB/);
  assert.deepEqual(finding?.location, repo);
});

test('through a generic query helper the line is where the statement is written, not the helper', () => {
  const helper: SourceLocation = { file: '/app/src/db.js', line: 4, column: 10, functionName: 'query' };
  const other = query({
    sql: 'SELECT id FROM folders WHERE id = $1',
    rows: 1,
    read: { bytes: 8 },
    stack: [driver, helper, { ...repo, line: 30, functionName: 'folder' }, handler],
  });
  const [finding] = run([list([other, query({ stack: [driver, helper, repo, service, handler] })])]);
  assert.deepEqual(finding?.location, repo);
});

test('without an application frame it says why', () => {
  const [finding] = run([list([query({ stack: [driver] })])]);
  assert.equal(finding?.location, undefined);
  assert.match(finding?.noAppLine ?? '', /no application frame/);
});

test("a query builder's statement: the line that built it, below the service that awaited it", () => {
  // Knex: the driver's stack leads to the service's await; the probe adds where the builder was made
  const built = query({ stack: [driver, service, handler], location: service, builtAt: repo });
  const [finding] = run([list([built])]);
  assert.deepEqual(finding?.location, repo);
  assert.match(
    finding?.evidence.find((e) => e.label === 'called through')?.value ?? '',
    /listDocs .*→ summaries .*→ all \(docs\.js:7\)$/,
  );
});

test('a builder kept in a variable, filters added, then run: the line that chose every column', () => {
  const route: SourceLocation = { file: '/app/src/routes/articles.ts', line: 9, column: 16, functionName: 'list' };
  const source = [
    "articles.get('/', async (c) => {",
    "  const category = c.req.query('category');",
    "  let query = db.selectFrom('articles').selectAll().orderBy('published_at', 'desc').limit(100);",
    '  if (category) {',
    "    query = query.where('category', '=', category);",
    '  }',
    '',
    '  // the page',
    '  const rows = await query.execute();',
    '  return c.json(rows.map((a) => ({ slug: a.slug, title: a.title })));',
    '});',
  ].join('\n');
  const records = [1, 2, 3].map((id) =>
    request({ id, items: 100, bytes: 20_000, queries: [query({ stack: [driver, route] })] }),
  );
  const read = (path: string) => (path === route.file ? source : undefined);
  const [finding] = wideColumns.run(factsOf(capture(records), read));
  assert.deepEqual(finding?.location && [finding.location.file, finding.location.line], [route.file, 3]);
  // without the source, the line that ran it
  assert.equal(wideColumns.run(factsOf(capture(records)))[0]?.location?.line, 9);
});

test('a builder kept in a variable and written over several lines: the line of its selectAll, not of the assignment', () => {
  const repository: SourceLocation = { file: '/app/src/repos/parts.js', line: 12, column: 10, functionName: 'inGroup' };
  const source = [
    'async function inGroup(group, { limit, after }) {',
    '  let q = db',
    "    .selectFrom('parts as p')",
    "    .innerJoin('groups as g', 'g.id', 'p.group_id')",
    "    .selectAll('p')",
    "    .select('g.code as group_code')",
    "    .where('g.code', '=', group)",
    "    .orderBy('p.id')",
    '    .limit(limit);',
    "  if (after) q = q.where('p.id', '>', after);",
    '  // one page',
    '  return q.execute();',
    '}',
  ].join('\n');
  const records = [1, 2, 3].map((id) =>
    request({
      id,
      items: 100,
      bytes: 20_000,
      queries: [
        query({ sql: 'select "p".*, "g"."code" as "group_code" from "parts" as "p"', stack: [driver, repository] }),
      ],
    }),
  );
  const read = (path: string) => (path === repository.file ? source : undefined);
  const [finding] = wideColumns.run(factsOf(capture(records), read));
  assert.equal(finding?.location?.line, 5);
});

test('a chain written over several lines and returned: the line of its selectAll, not of its execute', () => {
  const repository: SourceLocation = { file: '/app/src/repos/films.ts', line: 8, column: 6, functionName: 'showing' };
  const source = [
    "import { db } from './db.js';",
    'export async function showing(cinema: number) {',
    '  return db',
    "    .selectFrom('films')",
    "    .innerJoin('screenings', 'screenings.film_id', 'films.id')",
    "    .selectAll('films')",
    "    .where('screenings.cinema_id', '=', cinema)",
    '    .execute();',
    '}',
  ].join('\n');
  const records = [1, 2, 3].map((id) =>
    request({
      id,
      items: 100,
      bytes: 20_000,
      queries: [
        query({
          // the builder's SQL quotes the table it takes every column of
          sql: 'select `films`.* from `films` inner join `screenings` on `screenings`.`film_id` = `films`.`id` where `screenings`.`cinema_id` = ?',
          stack: [driver, repository],
        }),
      ],
    }),
  );
  const read = (path: string) => (path === repository.file ? source : undefined);
  const [finding] = wideColumns.run(factsOf(capture(records), read));
  assert.deepEqual(finding?.location && [finding.location.file, finding.location.line], [repository.file, 6]);
});

test('a statement prepared once at the top of the file, run in a route: the line of its SELECT *', () => {
  const route: SourceLocation = { file: '/app/server.js', line: 14, column: 20, functionName: 'anonymous' };
  const source = [
    "const db = require('./db');",
    '',
    'const byFolder = db.prepare(`',
    '  SELECT * FROM documents',
    '  WHERE folder_id = ?',
    '  ORDER BY id`);',
    "const titleOf = db.prepare('SELECT title FROM documents WHERE id = ?');",
    '',
    "app.get('/folders/:id/docs', (req, res) => {",
    '  const folder = Number(req.params.id);',
    '  if (!folder) return res.status(400).end();',
    '  // the list page shows titles only',
    '',
    '  const docs = byFolder.all(folder).map((d) => ({ id: d.id, title: d.title }));',
    '  res.json(docs);',
    '});',
  ].join('\n');
  const records = [1, 2, 3].map((id) =>
    request({ id, items: 300, bytes: 20_000, queries: [query({ driver: 'better-sqlite3', stack: [route] })] }),
  );
  const read = (path: string) => (path === route.file ? source : undefined);
  assert.equal(wideColumns.run(factsOf(capture(records), read))[0]?.location?.line, 4);
  // the statement's text passed by name to the driver: where that text chooses every column
  const passed = source.replace('byFolder.all(folder)', 'db.prepare(byFolder).all(folder)');
  const readPassed = (path: string) => (path === route.file ? passed : undefined);
  assert.equal(wideColumns.run(factsOf(capture(records), readPassed))[0]?.location?.line, 4);
  // a prepared statement that names its columns gives no line of its own: the line that ran it
  const named = source.replace('SELECT * FROM documents', 'SELECT id, title, body FROM documents');
  const readNamed = (path: string) => (path === route.file ? named : undefined);
  assert.equal(wideColumns.run(factsOf(capture(records), readNamed))[0]?.location?.line, 14);
});

test('an ORM relation loaded with each row (a JSON aggregate) that the response only counts: the line that names it', () => {
  // a page of 25 groups, each with its ~800 memberships aggregated into one column the response never shows
  const relational =
    'select "groups"."id", "groups"."name", "groups_memberships"."data" as "memberships" from "groups" left join lateral (select coalesce(json_agg(json_build_array("m"."user_id", "m"."role")), \'[]\'::json) as "data" from (select * from "memberships" "m" where "m"."group_id" = "groups"."id") "m") "groups_memberships" on true where "groups"."city" = $1 limit $2';
  const ran: SourceLocation = { file: '/app/src/directory.js', line: 2, column: 30, functionName: 'byCity' };
  const source = [
    'export async function byCity(city) {',
    '  const rows = await db.query.groups.findMany({',
    '    where: eq(groups.city, city),',
    '    limit: 25,',
    '    with: {',
    '      owner: true,',
    '      memberships: true,',
    '    },',
    '  });',
    '  return rows.map((g) => ({ id: g.id, name: g.name, members: g.memberCount }));',
    '}',
  ].join('\n');
  const read: RowsRead = { bytes: 25 * 81_000, wide: [{ name: 'memberships', bytes: 80_000 }], narrow: ['id', 'name'] };
  const records = [
    list([query({ sql: relational, rows: 25, durationMs: 450, read, stack: [driver, ran] })], {
      bytes: 6_000,
      items: 25,
    }),
  ];
  const [finding] = diagnoseFully(capture(records), rules, (path) => (path === ran.file ? source : undefined)).findings;
  assert.equal(finding?.rule, 'wide-columns');
  assert.deepEqual(finding?.location && [finding.location.file, finding.location.line], ['/app/src/directory.js', 7]);
  assert.match(
    finding?.title ?? '',
    /of the wide column memberships to send 6 KB: the query at .*directory\.js:7 \(byCity\) selects them/,
  );
  assert.match(finding?.suggestion ?? '', /relation loaded with every row .* is counted in SQL/);
});

test('a one-line call names no other line: the statement stays at the call', () => {
  const ran: SourceLocation = { file: '/app/src/docs.js', line: 1, column: 20, functionName: 'all' };
  const source = 'const all = () => pool.query(listSql);\nconst body = 1;\n';
  const records = [list([query({ sql: 'SELECT id, body FROM documents', stack: [driver, ran] })])];
  const [finding] = diagnoseFully(capture(records), rules, (path) => (path === ran.file ? source : undefined)).findings;
  assert.deepEqual(finding?.location && [finding.location.file, finding.location.line], ['/app/src/docs.js', 1]);
});
