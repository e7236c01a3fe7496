// slow-query: where a slow statement's fix is written (the caller of a helper, a chain's condition, the line
// that skips), and plans whose fix is not an index (a long key list, a late filter, a deep OFFSET)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryRecord, SourceLocation } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { declarationsIn } from '../schema/table-declarations.js';
import { capture, request } from '../test-support/captures.js';
import { driver, repo, schemaFile, seqScan, slowCapture } from '../test-support/slow-query.js';

test('through a helper that runs whatever SQL it is given, the statement is queried where its caller writes it', () => {
  const sources: Record<string, string> = {
    '/app/src/db.js': [
      'export async function query(text, params) {',
      '  const result = await pool.query(text, params);',
      '  return result.rows;',
      '}',
    ].join('\n'),
    '/app/src/repo.js': [
      'export async function byBrand(brand) {',
      '  return query(',
      '    `SELECT * FROM products WHERE brand = $1 ORDER BY price LIMIT 20`,',
      '    [brand],',
      '  );',
      '}',
    ].join('\n'),
  };
  const helper: SourceLocation = { file: '/app/src/db.js', line: 2, column: 29, functionName: 'query' };
  const caller: SourceLocation = { file: '/app/src/repo.js', line: 2, column: 10, functionName: 'byBrand' };
  const schema = declarationsIn('/app/src/schema.js', schemaFile);
  const [top] = diagnoseFully(
    slowCapture({ plan: seqScan, stack: [driver, helper, caller] }),
    rules,
    (file) => sources[file],
    schema,
  ).findings;
  assert.equal(top?.rule, 'slow-query');
  assert.equal(top?.evidence.find((e) => e.label === 'queried at')?.value, '/app/src/repo.js:2 (byBrand)');
  // without the sources, the helper's line is all there is
  const [blind] = diagnoseFully(
    slowCapture({ plan: seqScan, stack: [driver, helper, caller] }),
    rules,
    undefined,
    schema,
  ).findings;
  assert.equal(blind?.evidence.find((e) => e.label === 'queried at')?.value, '/app/src/db.js:2 (query)');
});

test('a chain run where it is written (a synchronous driver), its filter gathered above it: the condition line', () => {
  // a parcels service: optional filters pushed onto a list, one `.where(and(...))`, the page sorted by time
  const service = [
    "import { and, desc, eq } from 'drizzle-orm';",
    'export function listParcels(filter) {',
    '  const conditions = [];',
    '  if (filter.senderId !== undefined) conditions.push(eq(parcels.senderId, filter.senderId));',
    '  if (filter.state) conditions.push(eq(parcels.state, filter.state));',
    '  const rows = db',
    '    .select({',
    '      id: parcels.id,',
    '      senderId: parcels.senderId,',
    '      sentAt: parcels.sentAt,',
    '    })',
    '    .from(parcels)',
    '    .where(and(...conditions))',
    '    .orderBy(desc(parcels.sentAt))',
    '    .limit(20)',
    '    .all();',
    '  return rows;',
    '}',
  ].join('\n');
  const sqliteDriver: SourceLocation = {
    file: '/app/node_modules/drizzle-orm/better-sqlite3/session.js',
    line: 81,
    column: 23,
    package: 'drizzle-orm',
  };
  const call: SourceLocation = { file: '/app/src/parcels.js', line: 16, column: 6, functionName: 'listParcels' };
  const query: QueryRecord = {
    driver: 'better-sqlite3',
    sql: 'select "id", "sender_id", "sent_at" from "parcels" where "parcels"."sender_id" = ? order by "parcels"."sent_at" desc limit ?',
    durationMs: 300,
    rows: 20,
    stack: [sqliteDriver, call],
    plan: ['SCAN parcels USING INDEX parcels_sent_at_idx'],
  };
  const walked = capture([1, 2, 3].map((id) => request({ id, items: 20, wallMs: 320, queries: [query] })));
  const [top] = diagnoseFully(walked, rules, (file) => (file === '/app/src/parcels.js' ? service : undefined)).findings;
  assert.equal(top?.rule, 'slow-query');
  assert.match(top?.title ?? '', /reads all of parcels.*CREATE INDEX ON parcels \(sender_id, sent_at\)/);
  assert.deepEqual(top?.location && [top.location.file, top.location.line], ['/app/src/parcels.js', 4]);
});

test('a lookup slow in every run is said though a longer first run diluted its share; one slow only once is not', () => {
  // an ORM's page of one entity by an unindexed column: the id is picked first, walking the primary key under LIMIT 1
  const pick =
    'SELECT DISTINCT d.post_id FROM (SELECT p.id AS post_id FROM posts p LEFT JOIN replies r ON r.post_id = p.id WHERE p.handle = ?) d ORDER BY d.post_id ASC LIMIT 1';
  const plan = [
    'table=p type=index possible_keys=NULL key=PRIMARY rows=1 Extra=Using where; Using temporary',
    'table=r type=ref possible_keys=replies_post key=replies_post rows=3 Extra=Using index; Distinct',
  ];
  const run = (id: number, wallMs: number, durationMs: number) =>
    request({
      id,
      wallMs,
      queries: [{ driver: 'mysql', sql: pick, durationMs, rows: 1, stack: [driver, repo], plan }],
    });
  const slow = (runs: ReturnType<typeof run>[]) =>
    diagnoseFully(capture(runs), rules).findings.filter((f) => f.rule === 'slow-query');
  // first run 60 ms (the app's first-time work), the lookup 8 ms of it; then 13 ms, the lookup 6 ms of it
  const [found] = slow([run(1, 60, 8), run(2, 13, 6)]);
  assert.match(found?.title ?? '', /reads all of posts \(CREATE INDEX ON posts \(handle\)\)/);
  assert.equal(found?.evidence.find((e) => e.label === 'slow in')?.value, '2 of 2 runs');
  // the same after a first run twice the next, the lookup 6 ms of 37 ms then
  assert.equal(slow([run(1, 37, 6), run(2, 18, 10)]).length, 1);
  // a lookup of 2 ms in two runs and 40 ms in one: slow once, in one of three runs
  assert.equal(slow([run(1, 60, 40), run(2, 15, 2), run(3, 14, 2)]).length, 0);
});

test('a join read from its unfiltered table, the filter applied per row to a later one: start from the filtered table, no sort index', () => {
  // a subscriptions timeline without a page: all posts read and sorted, each checked against the reader's subscriptions
  const timeline =
    'SELECT p.*, w.name FROM posts p JOIN writers w ON p.writer_id = w.id JOIN subscriptions s ON w.id = s.writer_id WHERE s.reader_id = ? ORDER BY p.published_at DESC';
  const plan = [
    'table=p type=ALL possible_keys=posts_writer_id key=NULL rows=48000 Extra=Using filesort',
    'table=w type=eq_ref possible_keys=PRIMARY key=PRIMARY rows=1 Extra=',
    'table=s type=eq_ref possible_keys=PRIMARY,subscriptions_reader_id key=PRIMARY rows=1 Extra=Using index',
  ];
  const runs = [1, 2].map((id) =>
    request({
      id,
      wallMs: 150,
      items: 0,
      // a third of the request: slow as a read of a whole table to filter it
      queries: [{ driver: 'mysql2', sql: timeline, durationMs: 50, rows: 0, stack: [driver, repo], plan }],
    }),
  );
  const [found] = diagnoseFully(capture(runs), rules).findings.filter((f) => f.rule === 'slow-query');
  assert.match(
    found?.title ?? '',
    /reads all of posts and sorts it and looks up subscriptions for each row, where the filter on reader_id applies/,
  );
  assert.doesNotMatch(found?.title ?? '', /CREATE INDEX/);
  assert.match(found?.suggestion ?? '', /^Start the join from subscriptions/);
  // with a page (LIMIT), the sorted walk of an index on published_at stops early: that advice stays
  const paged = runs.map((run) => ({
    ...run,
    queries: run.queries.map((q) => ({ ...q, sql: `${timeline} LIMIT 20` })),
  }));
  const [page] = diagnoseFully(capture(paged), rules).findings.filter((f) => f.rule === 'slow-query');
  assert.match(page?.title ?? '', /CREATE INDEX ON posts \(published_at\)/);
});

test('a list of thousands of keys read the table whole: the list is the fix, not an index on its column', () => {
  // an ORM loading the reviews of every product it listed, in one statement
  const keys = Array.from({ length: 2_000 }, () => '?').join(', ');
  const reviews: QueryRecord = {
    driver: 'mysql2',
    sql: `select r.* from review as r where r.product_id in (${keys}) order by r.product_id`,
    durationMs: 300,
    rows: 9_000,
    stack: [driver, repo],
    plan: ['table=r type=ALL possible_keys=review_product_idx key=NULL rows=150000 Extra=Using where; Using filesort'],
  };
  const runs = [1, 2, 3].map((id) => request({ id, items: 2_000, wallMs: 320, queries: [reviews] }));
  const found = diagnoseFully(capture(runs), rules).findings.find((f) => f.rule === 'slow-query');
  assert.match(found?.title ?? '', /reads all of review.*lists 2,000 values of product_id/);
  assert.doesNotMatch(`${found?.title} ${found?.suggestion}`, /CREATE INDEX/);
  assert.match(found?.suggestion ?? '', /fewer product_id values at once/);
});

test('a page far from the start walks every row before it: page by the last key, at the line that skips', () => {
  // a ledger's history, page 3,000 of 50 rows, asked with an ORM's skip/take
  const source = [
    'export async function history(page: number, size: number) {',
    '  const [rows, total] = await entries.findAndCount({',
    "    order: { id: 'DESC' },",
    '    skip: (page - 1) * size,',
    '    take: size,',
    '  });',
    '  return { rows, total };',
    '}',
  ].join('\n');
  const service: SourceLocation = { file: '/app/src/ledger.ts', line: 2, column: 46, functionName: 'history' };
  const page: QueryRecord = {
    driver: 'mariadb',
    sql: 'SELECT `e`.`id` AS `e_id`, `e`.`amount` AS `e_amount` FROM `entries` `e` ORDER BY `e`.`id` DESC LIMIT 50 OFFSET 149950',
    durationMs: 56,
    rows: 50,
    stack: [driver, service],
    plan: ['table=e type=index possible_keys=NULL key=PRIMARY rows=150000 Extra='],
  };
  const runs = [1, 2, 3].map((id) => request({ id, items: 50, wallMs: 60, queries: [page] }));
  const [top] = diagnoseFully(capture(runs), rules, (file) => (file === service.file ? source : undefined)).findings;
  assert.equal(top?.rule, 'slow-query');
  assert.notEqual(top?.severity, 'info');
  assert.match(top?.title ?? '', /walks ≈150,000 entries of PRIMARY to reach the page \(OFFSET\)/);
  assert.match(top?.suggestion ?? '', /keyset pagination/);
  assert.deepEqual(top?.location && [top.location.file, top.location.line], [service.file, 4]);
});

test('a wrapped column in a clause a caller hands to a generic finder: the caller line that writes it', () => {
  // a base repository's `findWhere(clause, params)` runs every statement; the clause is written by its caller
  const statement = 'SELECT id, title FROM shows WHERE DATE(opens_at) = ? ORDER BY opens_at, id LIMIT 100';
  // MySQL walks the index on opens_at in order, filtering each entry, until the page is full: `rows` is the LIMIT
  const plan = ['table=shows type=index possible_keys=NULL key=shows_opens_idx rows=100 Extra=Using where'];
  const finder: SourceLocation = { file: '/app/src/base.js', line: 3, column: 17, functionName: 'findWhere' };
  const caller: SourceLocation = { file: '/app/src/shows.js', line: 8, column: 17, functionName: 'onDay' };
  const sources: Record<string, string> = {
    '/app/src/base.js': [
      'class Repository {',
      '  findWhere(clause, params, { orderBy, limit }) {',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of an app file, not a template
      '    return this.run(`SELECT ${this.columns} FROM ${this.table} WHERE ${clause} ORDER BY ${orderBy} LIMIT ${limit}`, params);',
      '  }',
      '}',
    ].join('\n'),
    '/app/src/shows.js': [
      'class Shows extends Repository {',
      '  onDay(day, { venue, limit }) {',
      "    const clauses = ['DATE(opens_at) = ?'];",
      '    const params = [day];',
      '    if (venue) {',
      "      clauses.push('venue_id = ?');",
      '    }',
      "    return this.findWhere(clauses.join(' AND '), params, { orderBy: 'opens_at, id', limit });",
      '  }',
      '}',
    ].join('\n'),
  };
  const query: QueryRecord = {
    driver: 'mysql2',
    sql: statement,
    durationMs: 400,
    rows: 100,
    stack: [driver, finder, caller],
    plan,
  };
  const slow = capture([1, 2, 3].map((id) => request({ id, items: 100, wallMs: 420, queries: [query] })));
  const [top] = diagnoseFully(slow, rules, (path) => sources[path]).findings;
  assert.match(top?.title ?? '', /wraps opens_at in DATE\(\)/);
  assert.deepEqual(top?.location && [top.location.file, top.location.line], ['/app/src/shows.js', 3]);
  assert.equal(top?.severity, 'critical');
});
