// A hot function that reads a file and builds from it on every request: the call that repeats it is the line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProfileData } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { refineLines } from '../refine-lines.js';
import { capture, profileFunction, request } from '../test-support/captures.js';

const PRICING = [
  "const fs = require('node:fs');",
  '',
  'function loadPricing() {',
  "  const config = JSON.parse(fs.readFileSync(CONFIG_PATH, 'utf8'));",
  '  return { products: new Map(config.products.map((p) => [p.sku, p])) };',
  '}',
  '',
  'function quote(sku) {',
  '  const pricing = loadPricing();',
  '  return pricing.products.get(sku);',
  '}',
].join('\n');

/** (root) → express's handle → quote → loadPricing → readFileSync, over 2 requests; `calls` for loadPricing. */
function pricingProfile(calls: number, readMs: number): ProfileData {
  const fn = (
    name: string,
    file: string,
    line: number,
    category: 'app' | 'node' | 'dependency' | 'root',
    n: number | null,
  ) => ({
    name,
    file,
    line,
    column: 1,
    category,
    calls: n,
    selfMs: 0,
    totalMs: 0,
    ...(category === 'dependency' ? { package: 'express' } : {}),
  });
  return {
    sampleIntervalUs: 1000,
    requestCount: 2,
    durationMs: 300,
    countedRequests: 2,
    functions: [
      fn('(root)', '', 0, 'root', null),
      fn('handle', '/app/node_modules/express/lib/router/layer.js', 86, 'dependency', null),
      fn('quote', '/app/src/pricing.js', 8, 'app', 2),
      fn('loadPricing', '/app/src/pricing.js', 3, 'app', calls),
      fn('readFileSync', 'node:fs', 440, 'node', null),
    ],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: 250 + readMs },
      { fn: 1, parent: 0, selfSamples: 0, selfMs: 0, totalMs: 250 + readMs },
      { fn: 2, parent: 1, selfSamples: 2, selfMs: 2, totalMs: 250 + readMs },
      { fn: 3, parent: 2, selfSamples: 248, selfMs: 248, totalMs: 248 + readMs },
      { fn: 4, parent: 3, selfSamples: readMs, selfMs: readMs, totalMs: readMs },
    ],
  };
}

function findingsOf(profile: ProfileData) {
  const traced = request({ wallMs: 140, cpuMs: 135, items: 1, bytes: 200 });
  // as `culprit diagnose` does: the rules, then the lines the sources tell apart
  return refineLines(diagnoseFully(capture([traced], profile), rules, () => PRICING).findings, () => PRICING);
}

test('a function called once per request that reads a file and parses it names the call in its caller', () => {
  const [top] = findingsOf(pricingProfile(2, 30));
  assert.equal(top?.rule, 'reloaded-per-request');
  assert.deepEqual([top?.location?.file, top?.location?.line], ['/app/src/pricing.js', 9]);
  assert.match(
    top?.title ?? '',
    /loadPricing \(\/app\/src\/pricing\.js:3\) reads and rebuilds its data on every request, called at \/app\/src\/pricing\.js:9/,
  );
  assert.match(top?.suggestion ?? '', /Load it once/);
});

test('reading nothing, or called many times per request, it stays a hot function at its own line', () => {
  const [noRead] = findingsOf(pricingProfile(2, 0));
  assert.equal(noRead?.rule, 'hot-function');
  assert.equal(noRead?.location?.line, 3);
  const [loop] = findingsOf(pricingProfile(1200, 30));
  assert.notEqual(loop?.rule, 'reloaded-per-request');
});

test("an anonymous function's CPU in a library's call: its place said once, and no advice meant for Node's sync calls", () => {
  const fn = (name: string, file: string, line: number, category: 'app' | 'dependency' | 'root', pkg?: string) =>
    profileFunction(name, file, line, category, {
      calls: category === 'app' ? 2 : null,
      ...(pkg ? { package: pkg } : {}),
    });
  const profile: ProfileData = {
    sampleIntervalUs: 1000,
    requestCount: 2,
    durationMs: 300,
    countedRequests: 2,
    functions: [
      fn('(root)', '', 0, 'root'),
      fn('handle', '/app/node_modules/express/lib/router/layer.js', 86, 'dependency', 'express'),
      fn('(anonymous orders.service.ts:26)', '/app/src/orders.service.ts', 26, 'app'),
      fn('findOne', '/app/node_modules/typeorm/repository/Repository.js', 120, 'dependency', 'typeorm'),
    ],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: 120 },
      { fn: 1, parent: 0, selfSamples: 0, selfMs: 0, totalMs: 120 },
      { fn: 2, parent: 1, selfSamples: 10, selfMs: 10, totalMs: 120 },
      { fn: 3, parent: 2, selfSamples: 110, selfMs: 110, totalMs: 110 },
    ],
  };
  const traced = request({ wallMs: 140, cpuMs: 80, items: 1, bytes: 200 });
  const [top] = diagnoseFully(capture([traced], profile), rules).findings;
  assert.equal(top?.rule, 'library-call');
  assert.match(top?.title ?? '', /the function at \/app\/src\/orders\.service\.ts:26 spends/);
  assert.doesNotMatch(top?.title ?? '', /\(anonymous/);
  assert.doesNotMatch(top?.suggestion ?? '', /asynchronous form/);
});

test('instances of a class built for two reads naming it are charged to the read that returned the most rows', () => {
  const fn = (name: string, file: string, line: number, category: 'app' | 'dependency' | 'root', pkg?: string) =>
    profileFunction(name, file, line, category, {
      totalMs: name === 'Member' ? 100 : 0,
      ...(pkg ? { package: pkg } : {}),
    });
  const profile: ProfileData = {
    sampleIntervalUs: 1000,
    requestCount: 1,
    durationMs: 200,
    countedRequests: 0,
    functions: [
      fn('(root)', '', 0, 'root'),
      fn('show', '/app/routes/members.js', 9, 'app'),
      fn('findAll', '/app/node_modules/sequelize/lib/model.js', 1100, 'dependency', 'sequelize'),
      fn('Member', '/app/models/member.js', 4, 'app'),
      fn('Model', '/app/node_modules/sequelize/lib/model.js', 40, 'dependency', 'sequelize'),
    ],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: 110 },
      { fn: 1, parent: 0, selfSamples: 5, selfMs: 5, totalMs: 110 },
      { fn: 2, parent: 1, selfSamples: 5, selfMs: 5, totalMs: 105 },
      { fn: 3, parent: 2, selfSamples: 0, selfMs: 0, totalMs: 100 },
      { fn: 4, parent: 3, selfSamples: 100, selfMs: 100, totalMs: 100 },
    ],
  };
  const pg = { file: '/app/node_modules/pg/lib/client.js', line: 500, column: 1, package: 'pg' };
  const at = (file: string, line: number, functionName: string) => ({ file, line, column: 1, functionName });
  const traced = request({
    wallMs: 160,
    cpuMs: 120,
    items: 1,
    queries: [
      {
        driver: 'pg',
        sql: 'SELECT "id", "name" FROM "Members" AS "Member" WHERE "Member"."email" = $1 LIMIT 1',
        durationMs: 2,
        rows: 1,
        stack: [pg, at('/app/middleware/auth.js', 16, 'verify')],
      },
      {
        driver: 'pg',
        sql: 'SELECT "id", "name" FROM "Members" AS "Member"',
        durationMs: 30,
        rows: 3000,
        stack: [pg, at('/app/routes/members.js', 11, 'show')],
      },
    ],
  });
  const all = diagnoseFully(capture([traced], profile), rules).findings;
  assert.equal(all.filter((f) => /auth\.js/.test(f.title)).length, 0, 'not the one-row read of the middleware');
  // charged to the whole-table read, the instances' CPU is part of that finding, not one of its own
  assert.deepEqual(
    all.map((f) => [f.rule, f.location?.line]),
    [['whole-table-load', 11]],
  );
});

/** browse() → listAll(), whose one statement through `driver` ran 85 ms of a 100 ms blocked stretch. */
function wrapperQueryCase(driver: string) {
  const RECIPES = [
    'function listAll() {',
    '  return stmt(',
    "    'listAll',",
    '    `SELECT r.*, (SELECT group_concat(t.tag) FROM tags t WHERE t.recipe_id = r.id) AS tags FROM recipes r`,',
    '  ).all();',
    '}',
  ].join('\n');
  const BROWSE = [
    'function browse(tag) {',
    '  const rows = recipes.listAll();',
    '  return rows.filter((r) => r.tags.includes(tag));',
    '}',
  ].join('\n');
  const listAll = { file: '/app/src/repositories/recipes.js', line: 5, column: 4, functionName: 'listAll' };
  const browse = { file: '/app/src/services/recipes.js', line: 2, column: 23, functionName: 'browse' };
  const sqlite = {
    file: '/app/node_modules/better-sqlite3/lib/methods/wrappers.js',
    line: 9,
    column: 1,
    package: 'better-sqlite3',
  };
  const fn = (name: string, file: string, line: number, category: 'app' | 'dependency' | 'root') =>
    profileFunction(name, file, line, category, { calls: category === 'app' ? 2 : null });
  // the native statement call shows no frame of its own: its samples are listAll's self time
  const profile: ProfileData = {
    sampleIntervalUs: 1000,
    requestCount: 2,
    durationMs: 220,
    countedRequests: 2,
    functions: [
      fn('(root)', '', 0, 'root'),
      fn('browse', browse.file, 1, 'app'),
      fn('listAll', listAll.file, 1, 'app'),
    ],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: 200 },
      { fn: 1, parent: 0, selfSamples: 30, selfMs: 30, totalMs: 200 },
      { fn: 2, parent: 1, selfSamples: 170, selfMs: 170, totalMs: 170 },
    ],
  };
  const traced = request({
    url: '/api/recipes?tag=vegan',
    wallMs: 110,
    cpuMs: 100,
    items: 24,
    bytes: 5_000,
    blocking: [{ startMs: 2, durationMs: 100 }],
    queries: [
      {
        driver,
        sql: 'SELECT r.*, (SELECT group_concat(t.tag) FROM tags t WHERE t.recipe_id = r.id) AS tags FROM recipes r',
        durationMs: 85,
        startMs: 5,
        rows: 15_000,
        stack: [sqlite, listAll, browse],
      },
    ],
  });
  const read = (file: string) => (file === listAll.file ? RECIPES : file === browse.file ? BROWSE : undefined);
  return { findings: refineLines(diagnoseFully(capture([traced], profile), rules, read).findings, read), browse };
}

test("a synchronous driver's query charged to the wrapper that ran it is that query: one finding, at the caller", () => {
  const { findings, browse } = wrapperQueryCase('better-sqlite3');
  const [top] = findings;
  assert.equal(top?.rule, 'whole-table-load');
  assert.equal(top?.severity, 'critical');
  assert.deepEqual([top?.location?.file, top?.location?.line], [browse.file, 2]);
  assert.match(top?.title ?? '', /whole recipes table \(15,000 rows\)/);
  const cpu = top?.evidence.find((e) => e.label === 'CPU in the same function');
  assert.match(cpu?.value ?? '', /listAll .* runs its query synchronously \(better-sqlite3\)/);
  assert.equal(
    findings.some((f) => f.rule === 'hot-function'),
    false,
  );
});

test("an asynchronous driver's statement that overlapped the function's own CPU is not said to run synchronously", () => {
  // pg answers on a socket: the loop running other work while its statement was out is that work, not the query
  const { findings } = wrapperQueryCase('pg');
  const said = findings.flatMap((f) => [f.title, ...f.evidence.map((e) => e.value)]);
  assert.equal(
    said.some((text) => /synchronously/.test(text)),
    false,
    said.join('\n'),
  );
});

/** A named function called `calls` times per request from an inline arrow at line 3 of audit.ts, over `rows` rows. */
function calledFromLoop(calls: number, rows: number) {
  const AUDIT = [
    'function sameCharge(a, b) {',
    '  return a.merchant === b.merchant && a.amount === b.amount;',
    '}',
    'const duplicates = expenses.filter((e) => expenses.some((o) => o.id !== e.id && sameCharge(e, o)));',
  ].join('\n');
  const file = '/app/src/audit.js';
  const profile: ProfileData = {
    sampleIntervalUs: 1000,
    requestCount: 2,
    durationMs: 300,
    countedRequests: 2,
    functions: [
      profileFunction('(root)', '', 0, 'root'),
      profileFunction('(anonymous audit.js:4)', file, 4, 'app', { calls: rows * 2 }),
      profileFunction('sameCharge', file, 1, 'app', { calls: calls * 2 }),
    ],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: 250 },
      { fn: 1, parent: 0, selfSamples: 50, selfMs: 50, totalMs: 250 },
      { fn: 2, parent: 1, selfSamples: 200, selfMs: 200, totalMs: 200 },
    ],
  };
  const traced = request({
    wallMs: 140,
    cpuMs: 135,
    items: 20,
    bytes: 2_000,
    queries: [{ driver: 'pg', sql: 'SELECT * FROM expenses WHERE employee_id = $1', durationMs: 5, rows, stack: [] }],
  });
  const read = (path: string) => (path === file ? AUDIT : undefined);
  return refineLines(diagnoseFully(capture([traced], profile), rules, read).findings, read);
}

test('a function called for every pair of rows is named where its calls multiply, with a Map as the advice', () => {
  const [top] = calledFromLoop(2_800_000, 1_700);
  assert.equal(top?.rule, 'call-explosion');
  assert.deepEqual([top?.location?.file, top?.location?.line], ['/app/src/audit.js', 4]);
  assert.match(
    top?.title ?? '',
    /sameCharge is called 2,800,000 times per request, 1,647 times for each of the 1,700 rows/,
  );
  assert.match(top?.suggestion ?? '', /Map or Set/);
});

test('a function called a few times per row keeps its own line: its cost per call is what to cut', () => {
  const [top] = calledFromLoop(19_200, 1_200);
  assert.equal(top?.location?.line, 1);
  assert.doesNotMatch(top?.suggestion ?? '', /Map or Set keyed/);
});

test("a library call whose time runs in another package's wrapper below it names that package, not the call", () => {
  // a handler sends a small body with the framework's send(); an audit package had replaced the response's end()
  // with its own, which formats an entry per request: the framework's own code is a few frames on the way in
  const fn = (name: string, file: string, line: number, category: 'app' | 'dependency' | 'root', pkg?: string) =>
    profileFunction(name, file, line, category, {
      calls: category === 'app' ? 2 : null,
      ...(pkg ? { package: pkg } : {}),
    });
  const profile: ProfileData = {
    sampleIntervalUs: 1000,
    requestCount: 2,
    durationMs: 100,
    countedRequests: 2,
    functions: [
      fn('(root)', '', 0, 'root'),
      fn('showInvoice', '/app/routes/invoices.js', 12, 'app'),
      fn('send', '/app/node_modules/webframe/lib/response.js', 40, 'dependency', 'webframe'),
      fn('res.end', '/app/node_modules/audit-trail/index.js', 88, 'dependency', 'audit-trail'),
      fn('deepSet', '/app/node_modules/objpath/index.js', 7, 'dependency', 'objpath'),
    ],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: 22 },
      { fn: 1, parent: 0, selfSamples: 2, selfMs: 2, totalMs: 22 },
      { fn: 2, parent: 1, selfSamples: 2, selfMs: 2, totalMs: 20 },
      { fn: 3, parent: 2, selfSamples: 6, selfMs: 6, totalMs: 18 },
      { fn: 4, parent: 3, selfSamples: 12, selfMs: 12, totalMs: 12 },
    ],
  };
  const traced = request({ wallMs: 30, cpuMs: 24, items: 1, bytes: 300 });
  const [top] = diagnoseFully(capture([traced], profile), rules).findings;
  assert.equal(top?.rule, 'library-call');
  assert.match(top?.title ?? '', /in webframe's send, 90% of it in audit-trail's res\.end/);
  assert.match(top?.suggestion ?? '', /^Most of it runs in audit-trail's res\.end, which webframe's send reaches/);
  assert.doesNotMatch(top?.suggestion ?? '', /fewer relations, columns or rows/);
});

test("an arrow handler's synchronous query is that query, though the query's place names no function", () => {
  // `http.createServer((req, res) => { const rows = report.all(region); … })`: one slow joined statement
  const SERVER = [
    "const db = new Database('shop.db');",
    "db.exec('CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_code TEXT, total REAL)');",
    "const report = db.prepare('SELECT c.name, sum(o.total) AS spent FROM customers c JOIN orders o ON o.customer_code = c.code WHERE c.region = ? GROUP BY c.id');",
    'http.createServer((req, res) => {',
    '  const rows = report.all(regionOf(req));',
    '  res.end(JSON.stringify(rows));',
    '});',
  ].join('\n');
  const file = '/srv/server.js';
  const profile: ProfileData = {
    sampleIntervalUs: 1000,
    requestCount: 1,
    durationMs: 190,
    countedRequests: 1,
    functions: [
      profileFunction('(root)', '', 0, 'root', { calls: null }),
      profileFunction('(anonymous server.js:4)', file, 4, 'app', { calls: 1 }),
      { ...profileFunction('all', '', 0, 'root', { calls: null }), category: 'native' },
    ],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: 180 },
      { fn: 1, parent: 0, selfSamples: 2, selfMs: 2, totalMs: 180 },
      { fn: 2, parent: 1, selfSamples: 178, selfMs: 178, totalMs: 178 },
    ],
  };
  const traced = request({
    url: '/report?region=north',
    wallMs: 185,
    cpuMs: 182,
    items: 10,
    bytes: 600,
    blocking: [{ startMs: 0, durationMs: 184 }],
    queries: [
      {
        driver: 'better-sqlite3',
        sql: 'SELECT c.name, sum(o.total) AS spent FROM customers c JOIN orders o ON o.customer_code = c.code WHERE c.region = ? GROUP BY c.id',
        durationMs: 178,
        startMs: 3,
        rows: 10,
        location: { file, line: 5, column: 23 },
        plan: ['SCAN c', 'SEARCH o USING AUTOMATIC COVERING INDEX (customer_code=?)'],
      },
    ],
  });
  const read = (path: string) => (path === file ? SERVER : undefined);
  const findings = refineLines(diagnoseFully(capture([traced], profile), rules, read).findings, read);
  const loud = findings.filter((f) => f.severity !== 'info');
  assert.deepEqual(
    loud.map((f) => f.rule),
    ['slow-query'],
    'one finding: the CPU of the native call is the query',
  );
  assert.match(loud[0]?.title ?? '', /CREATE INDEX ON orders \(customer_code\)/);
  const cpu = loud[0]?.evidence.find((e) => e.label === 'CPU in the same function');
  assert.match(cpu?.value ?? '', /runs its query synchronously \(better-sqlite3\)/);
});

test('a comparator that calls the hot function twice is not where calls multiply: the sort run for every item is', () => {
  // a leaderboard that ranks each player by sorting the whole board again for that player
  const BOARD = [
    'function score(p) {',
    '  return p.wins * 3 + p.draws;',
    '}',
    'function byScore(a, b) {',
    '  return score(b) - score(a);',
    '}',
    'export function ranked(players) {',
    '  return players.map((p) => {',
    '    const order = [...players].sort(byScore);',
    '    return { ...p, rank: order.indexOf(p) + 1 };',
    '  });',
    '}',
  ].join('\n');
  const file = '/app/src/board.js';
  const players = 800;
  const comparisons = players * 5_600;
  const profile: ProfileData = {
    sampleIntervalUs: 1000,
    requestCount: 2,
    durationMs: 600,
    countedRequests: 2,
    functions: [
      profileFunction('(root)', '', 0, 'root'),
      profileFunction('ranked', file, 7, 'app', { calls: 2 }),
      profileFunction('(anonymous board.js:8)', file, 8, 'app', { calls: players * 2 }),
      profileFunction('sort', '', 0, 'native'),
      profileFunction('byScore', file, 4, 'app', { calls: comparisons * 2 }),
      profileFunction('score', file, 1, 'app', { calls: comparisons * 4 }),
    ],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: 560 },
      { fn: 1, parent: 0, selfSamples: 2, selfMs: 2, totalMs: 560 },
      { fn: 2, parent: 1, selfSamples: 8, selfMs: 8, totalMs: 558 },
      { fn: 3, parent: 2, selfSamples: 100, selfMs: 100, totalMs: 550 },
      { fn: 4, parent: 3, selfSamples: 200, selfMs: 200, totalMs: 450 },
      { fn: 5, parent: 4, selfSamples: 250, selfMs: 250, totalMs: 250 },
      // an inlined comparator's frame now and then shows under its callee
      { fn: 4, parent: 5, selfSamples: 2, selfMs: 2, totalMs: 2 },
    ],
  };
  const traced = request({
    wallMs: 290,
    cpuMs: 285,
    items: players,
    bytes: 40_000,
    queries: [{ driver: 'pg', sql: 'SELECT * FROM players', durationMs: 4, rows: players, stack: [] }],
  });
  const read = (path: string) => (path === file ? BOARD : undefined);
  const found = refineLines(diagnoseFully(capture([traced], profile), rules, read).findings, read);
  const explosion = found.find((f) => f.rule === 'call-explosion' && /score is called/.test(f.title));
  assert.ok(explosion, found.map((f) => f.title).join('\n'));
  assert.deepEqual([explosion.location?.file, explosion.location?.line], [file, 9]);
  assert.match(explosion.suggestion ?? '', /Sort the list once, before the loop/);
});

test("a password check through Node's callback scrypt is already asynchronous; its Sync sibling is the one to replace", () => {
  const profileOf = (hashName: string): ProfileData => ({
    sampleIntervalUs: 1000,
    requestCount: 2,
    durationMs: 400,
    countedRequests: 2,
    functions: [
      profileFunction('(root)', '', 0, 'root'),
      profileFunction('verifyPassword', '/app/src/auth/passwords.ts', 40, 'app'),
      profileFunction(hashName, 'node:internal/crypto/scrypt', 50, 'node'),
    ],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: 60 },
      { fn: 1, parent: 0, selfSamples: 4, selfMs: 4, totalMs: 60 },
      { fn: 2, parent: 1, selfSamples: 56, selfMs: 56, totalMs: 56 },
    ],
  });
  const traced = request({ wallMs: 120, cpuMs: 40, items: 1, bytes: 300 });
  const [async] = diagnoseFully(capture([traced], profileOf('scrypt')), rules).findings;
  assert.equal(async?.rule, 'blocking-call');
  assert.doesNotMatch(async?.suggestion ?? '', /use the asynchronous form/);
  assert.match(
    async?.suggestion ?? '',
    /^scrypt is already the asynchronous form: its work runs on libuv's thread pool/,
  );
  const [sync] = diagnoseFully(capture([traced], profileOf('scryptSync')), rules).findings;
  assert.match(sync?.suggestion ?? '', /use the asynchronous form/);
});

test("a per-row callback that spends its time in a library's search of a list: index the list by key", () => {
  // joined rows grouped per parent: for each of 6,000 rows a callback looks its parent up with the utility
  // library's findIndex over the groups made so far, a search that grows with the rows
  const fn = (name: string, file: string, line: number, category: 'app' | 'dependency' | 'root', pkg?: string) =>
    profileFunction(name, file, line, category, {
      calls: name === '(anonymous report.js:40)' ? 12_000 : null,
      ...(pkg ? { package: pkg } : {}),
    });
  const profile: ProfileData = {
    sampleIntervalUs: 1000,
    requestCount: 2,
    durationMs: 900,
    countedRequests: 2,
    functions: [
      fn('(root)', '', 0, 'root'),
      fn('(anonymous report.js:40)', '/app/src/report.js', 40, 'app'),
      fn('findIndex', '/app/node_modules/utils/utils.js', 7210, 'dependency', 'utils'),
    ],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: 800 },
      { fn: 1, parent: 0, selfSamples: 100, selfMs: 100, totalMs: 800 },
      { fn: 2, parent: 1, selfSamples: 700, selfMs: 700, totalMs: 700 },
    ],
  };
  const traced = request({ wallMs: 450, cpuMs: 420, items: 2_000, bytes: 90_000 });
  traced.queries = [
    {
      driver: 'pg',
      sql: 'select * from reports join lines on lines.report_id = reports.id',
      durationMs: 20,
      rows: 6_000,
      stack: [],
    },
  ];
  const [top] = diagnoseFully(capture([traced], profile), rules).findings;
  assert.equal(top?.rule, 'library-call');
  assert.match(top?.suggestion ?? '', /^findIndex goes through the whole list on each of the 6,000 calls/);
  assert.match(top?.suggestion ?? '', /a Map or Set keyed by it/);
  // the same search called once per request is no per-row lookup
  const once = structuredClone(profile);
  for (const f of once.functions) if (f.calls !== null && f.calls !== undefined) f.calls = 2;
  const [single] = diagnoseFully(capture([traced], once), rules).findings;
  assert.doesNotMatch(single?.suggestion ?? '', /Map or Set keyed/);
});
