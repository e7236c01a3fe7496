import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding, ProfileData, QueryRecord, SourceLocation } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { factsOf } from '../facts/request-facts.js';
import { capture, profileFunction, request } from '../test-support/captures.js';
import { excessRows } from './excess-rows.js';

const driver: SourceLocation = { file: '/app/node_modules/mysql2/promise.js', line: 90, column: 1, package: 'mysql2' };
const handler: SourceLocation = {
  file: '/app/src/routes/orders.js',
  line: 12,
  column: 5,
  functionName: 'exportOrders',
};
const service: SourceLocation = {
  file: '/app/src/services/history.js',
  line: 17,
  column: 37,
  functionName: 'forCustomer',
};
const repo: SourceLocation = { file: '/app/src/repos/orders.js', line: 3, column: 35, functionName: 'listAll' };

const sources: Record<string, string> = {
  '/app/src/repos/orders.js': `class Orders {
  async listAll() {
    const [rows] = await this.pool.query('SELECT id, customer_id, total FROM orders ORDER BY id');
    return rows;
  }
}`,
};

const loadAll: QueryRecord = {
  driver: 'mysql2',
  sql: 'SELECT id, customer_id, total FROM orders ORDER BY id',
  durationMs: 300,
  rows: 80_000,
  stack: [driver, repo, service, handler],
};

function findings(repoSource: string) {
  const record = request({
    url: '/customers/7/orders',
    wallMs: 900,
    cpuMs: 600,
    bytes: 4_000,
    items: 12,
    queries: [loadAll],
  });
  const read = (file: string) => (file === repo.file ? repoSource : sources[file]);
  return excessRows.run(factsOf(capture([record]), read));
}

test("a whole table loaded through a repository's listAll(): the service line that called it, not the wrapper", () => {
  const [finding] = findings(sources[repo.file] as string);
  assert.equal(finding?.rule, 'whole-table-load');
  assert.deepEqual(finding?.location, service);
});

test('a repository function that filters the rows itself keeps the blame', () => {
  const filtering = `class Orders {
  async listAll(customerId) {
    const [rows] = await this.pool.query('SELECT id, customer_id, total FROM orders ORDER BY id');
    return rows.filter((row) => row.customer_id === customerId);
  }
}`;
  const [finding] = findings(filtering);
  assert.deepEqual(finding?.location, repo);
});

/**
 * A month of duty samples (20,000 rows) summarized into 30 days by a function that formats every row with a
 * date library (the profile: `callee` in `package`, 80% of 700 ms).
 */
function summarized(callee: string, pkg: string): Finding[] {
  const samples: QueryRecord = {
    driver: 'pg',
    sql: 'select recorded_at, status from duty_samples where driver_id = $1 and recorded_at >= $2 and recorded_at < $3 order by recorded_at',
    durationMs: 110,
    rows: 20_000,
    stack: [{ ...driver, file: '/app/node_modules/pg/lib/client.js', package: 'pg' }, handler],
  };
  const record = request({
    url: '/drivers/4/report',
    wallMs: 860,
    cpuMs: 740,
    items: 30,
    bytes: 5_000,
    queries: [samples],
  });
  const summarize = profileFunction('summarize', '/app/src/hours.js', 17, 'app', { calls: 1 });
  const library = profileFunction(callee, `/app/node_modules/${pkg}/index.js`, 300, 'dependency', { package: pkg });
  const profile: ProfileData = {
    sampleIntervalUs: 1000,
    requestCount: 1,
    durationMs: 700,
    countedRequests: 1,
    functions: [profileFunction('(root)', '', 0, 'root'), summarize, library],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: 700 },
      { fn: 1, parent: 0, selfSamples: 140, selfMs: 140, totalMs: 700 },
      { fn: 2, parent: 1, selfSamples: 560, selfMs: 560, totalMs: 560 },
    ],
  };
  return diagnoseFully(capture([record], profile), rules).findings;
}

test("rows a function formats with another library are not the rows' cost: the formatting leads, not the load", () => {
  const [top, next] = summarized('format', 'moment');
  assert.equal(top?.rule, 'library-call');
  assert.match(top?.title ?? '', /summarize .* spends .* in moment's format/);
  assert.equal(next?.rule, 'over-fetch');
  assert.ok((next?.savesMs ?? 0) < (top?.savesMs ?? 0));
});

test("time in the driver's own row parsing, called from the same function, stays the rows' cost", () => {
  const [top] = summarized('parseRow', 'pg');
  assert.equal(top?.rule, 'over-fetch');
});

/** A page of 10 recipes read in one statement with `joins` LEFT JOINs, `rows` rows, answered with `bytes` bytes. */
function joinedPage(joins: number, rows: number, bytes: number): Finding[] {
  const joined = [
    'LEFT JOIN recipe_ingredients ri ON ri.recipe_id = r.id',
    'LEFT JOIN recipe_tags rt ON rt.recipe_id = r.id',
    'LEFT JOIN reviews v ON v.recipe_id = r.id',
  ].slice(0, joins);
  const service: SourceLocation = { file: '/app/src/recipes.js', line: 8, column: 5, functionName: 'collection' };
  const page: QueryRecord = {
    driver: 'mysql2',
    sql: `SELECT r.*, ri.*, rt.*, v.* FROM (SELECT * FROM recipes WHERE cuisine = ? ORDER BY created_at DESC LIMIT 10) r ${joined.join(' ')}`,
    durationMs: 400,
    rows,
    stack: [driver, service],
  };
  const record = request({ url: '/recipes?cuisine=greek', wallMs: 700, cpuMs: 500, bytes, items: 10, queries: [page] });
  return excessRows.run(factsOf(capture([record])));
}

test('joins that multiply each other: rows far beyond what a response of 5 bytes a row could carry', () => {
  // 10 recipes × 8 ingredients × 4 tags × 20 reviews: 6,400 rows for a 33 KB tree of 10 recipes and their 320 children
  const [finding] = joinedPage(3, 6_400, 33_000);
  assert.equal(finding?.rule, 'join-fan-out');
});

test('one to-many join whose rows the response carries as a tree is not an excess', () => {
  // 10 orders and their 1,200 lines, each line sent: 28 bytes a row
  assert.deepEqual(joinedPage(1, 1_200, 34_000), []);
});

test("a whole table read through one join: its rows are called joined rows, not the table's", () => {
  // 20,000 pages joined to their 60,000 tag links, all of it, to list the 200 tags
  const oneJoin: QueryRecord = {
    driver: 'pg',
    sql: 'select p.*, t.tag from pages p left join "pageTags" t on t."pageId" = p.id',
    durationMs: 120,
    rows: 60_000,
    stack: [driver, handler],
  };
  const record = request({ url: '/tags', wallMs: 900, cpuMs: 600, bytes: 4_000, items: 200, queries: [oneJoin] });
  const [finding] = excessRows.run(factsOf(capture([record]), () => undefined));
  assert.equal(finding?.rule, 'whole-table-load');
  assert.match(
    finding?.title ?? '',
    /loads the whole pages table joined to pageTags \(60,000 joined rows\) to return 200 items/,
  );
  const plain = request({ url: '/tags', wallMs: 900, cpuMs: 600, bytes: 4_000, items: 200, queries: [loadAll] });
  assert.match(
    excessRows.run(factsOf(capture([plain]), () => undefined))[0]?.title ?? '',
    /the whole orders table \(80,000 rows\)/,
  );
});

test("a chain of nested includes (albums, their tracks, the tracks' plays) loads the last one's rows: named at its include", () => {
  const file = '/app/src/routes/artists.js';
  const source = [
    "router.get('/:id/albums', async (ctx) => {",
    '  const albums = await Album.findAll({',
    '    where: { artistId: ctx.params.id },',
    "    attributes: ['id', 'title', 'kind', 'releaseDate'],",
    '    include: [',
    '      {',
    '        model: Track,',
    "        as: 'tracks',",
    "        attributes: ['id', 'durationMs'],",
    "        include: [{ model: Play, as: 'plays', attributes: ['id'] }],",
    '      },',
    '    ],',
    '  });',
    '  ctx.body = albums.map((a) => ({ id: a.id, plays: a.tracks.reduce((n, t) => n + t.plays.length, 0) }));',
    '});',
  ].join('\n');
  const call: SourceLocation = { file, line: 2, column: 30, functionName: 'albums' };
  const sequelize: SourceLocation = {
    file: '/app/node_modules/sequelize/lib/model.js',
    line: 1,
    column: 1,
    package: 'sequelize',
  };
  const sql =
    'SELECT "Album"."id", "tracks"."id" AS "tracks.id", "tracks->plays"."id" AS "tracks.plays.id" FROM "albums" AS "Album" LEFT OUTER JOIN "tracks" AS "tracks" ON "Album"."id" = "tracks"."album_id" LEFT OUTER JOIN "plays" AS "tracks->plays" ON "tracks"."id" = "tracks->plays"."track_id" WHERE "Album"."artist_id" = $1';
  const query: QueryRecord = { driver: 'pg', sql, durationMs: 600, rows: 30_240, stack: [sequelize, call] };
  const run = request({ wallMs: 1_200, cpuMs: 900, items: 4, bytes: 600, queries: [query] });
  const [top] = diagnoseFully(capture([run]), rules, (path) => (path === file ? source : undefined)).findings;
  assert.equal(top?.rule, 'over-fetch');
  assert.equal(top?.location?.line, 10, 'the include of plays, nine lines into the call');
  assert.match(top?.title ?? '', /loads 30,240 rows of plays \(joined through albums\)/);
  assert.doesNotMatch(top?.title ?? '', /multiply/);
});

test('rows a statement returns after reading a table whole are not what makes it slow: the read ranks first', () => {
  const grouped: QueryRecord = {
    driver: 'mysql2',
    sql: 'SELECT e.distinct_id, e.name, MIN(e.occurred_at) AS first_at FROM events e WHERE e.project_id = ? AND e.name IN (?, ?) GROUP BY e.distinct_id, e.name',
    durationMs: 1_250,
    rows: 2_733,
    stack: [driver, repo, service, handler],
    plan: [
      'id=1 select_type=SIMPLE table=e type=ALL possible_keys=NULL key=NULL rows=990640 Extra=Using where; Using temporary; Using filesort',
    ],
  };
  const record = request({ url: '/funnels/1', wallMs: 1_320, cpuMs: 140, bytes: 650, items: 4, queries: [grouped] });
  const found = diagnoseFully(capture([record]), rules, (file) => sources[file]).findings;
  assert.equal(found[0]?.rule, 'slow-query');
  const load = found.find((f) => f.rule === 'over-fetch');
  // the load claims the CPU its rows cost and their share of the wait, not the scan
  assert.ok(load && (load.savesMs ?? 0) < 0.2 * (found[0]?.savesMs ?? 0));
});

test("rows each sent to a remote service: the calls' CPU is theirs, and the N+1 of calls ranks above the rows", () => {
  const loop: SourceLocation = { file: '/app/src/queues/status.js', line: 30, column: 40, functionName: 'queueStatus' };
  const load: SourceLocation = { file: '/app/src/queues/status.js', line: 17, column: 28, functionName: 'queueStatus' };
  const calls = Array.from({ length: 2_000 }, (_, i) => ({
    startMs: 20 + i * 0.8,
    durationMs: 0.75,
    client: 'fetch' as const,
    method: 'GET',
    origin: 'http://127.0.0.1:4000',
    path: `/ratings/${1000 + i}`,
    url: `/ratings/${1000 + i}`,
    location: loop,
  }));
  const record = request({
    url: '/queues/1/status',
    wallMs: 1_700,
    cpuMs: 1_100,
    items: 8,
    queries: [
      {
        driver: 'postgres',
        sql: 'SELECT id, player_id FROM queue_tickets WHERE queue_id = ? ORDER BY enqueued_at',
        startMs: 2,
        durationMs: 17,
        rows: 2_000,
        location: load,
        stack: [load],
      },
    ],
    http: calls,
  });
  const found = diagnoseFully(capture([record]), rules).findings;
  assert.equal(found[0]?.rule, 'http-n-plus-one');
  const rows = found.find((f) => f.rule === 'over-fetch');
  // the rows' CPU is at most the time outside the calls (1,700 ms less 1,500 ms in calls)
  assert.ok(rows && (rows.savesMs ?? 0) < 250, `over-fetch claims ${rows?.savesMs} ms`);
});
