/**
 * One test per kind of cause, on captures shaped like the stacks of
 * applications the rules were not written next to: entities without
 * constructors, driver classes, envelopes, loops, helpers, sync crypto.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProfileData, QueryRecord, SourceLocation } from '../capture/types.js';
import { diagnose, diagnoseFully } from './diagnose.js';
import { capture, request } from './test-support/captures.js';

const at = (functionName: string, file: string, line: number, extra: Partial<SourceLocation> = {}): SourceLocation => ({
  functionName,
  file,
  line,
  column: 1,
  ...extra,
});
const driver = at('query', '/app/node_modules/pg/lib/client.js', 500, { package: 'pg' });

function q(sql: string, rows: number, frames: SourceLocation[], extra: Partial<QueryRecord> = {}): QueryRecord {
  return { driver: 'pg', sql, durationMs: 1, rows, stack: [driver, ...frames], ...extra };
}

const req = request;
const cap = capture;

test('a whole-table load is found from rows alone when the ORM builds entities without constructors', () => {
  const service = at('findOne', '/app/src/products.service.ts', 21);
  const request = req({
    queries: [
      q('SELECT * FROM product', 60_000, [service], { durationMs: 90 }),
      q('SELECT * FROM product WHERE sku = $1 LIMIT 1', 1, [at('findOne', '/app/src/products.service.ts', 23)]),
    ],
    // driver classes are built per row and column: never the headline
    constructions: [
      {
        className: 'Field',
        count: 60_000,
        location: at('Field', '/app/node_modules/pg-protocol/dist/messages.js', 1, { package: 'pg-protocol' }),
      },
    ],
  });
  const [top] = diagnose(cap([request]));
  assert.equal(top?.rule, 'whole-table-load');
  assert.equal(top?.location?.line, 21);
  assert.doesNotMatch(top?.title ?? '', /Field/);
  assert.match(top?.title ?? '', /60,000 rows/);
});

test('a page of 100 in an envelope is 100 items, not 1: no over-fetch for 100 rows', () => {
  const request = req({
    items: 100,
    itemsPath: 'articles',
    queries: [q('SELECT * FROM article LIMIT 100', 100, [at('list', '/app/a.js', 3)])],
  });
  assert.deepEqual(diagnose(cap([request])), []);
});

test('pagination in JavaScript: rows loaded vs the page, at the query line', () => {
  const request = req({
    items: 20,
    itemsPath: 'data',
    queries: [
      q('SELECT * FROM books ORDER BY title', 80_000, [at('listBooks', '/app/src/books.ts', 14)], { durationMs: 70 }),
    ],
  });
  const [top] = diagnose(cap([request]));
  assert.equal(top?.location?.line, 14);
  assert.match(top?.title ?? '', /80,000 rows\) to return 20 items/);
});

test('join fan-out: rows multiply across joins for one item', () => {
  const sql =
    'SELECT * FROM posts LEFT OUTER JOIN tags ON … LEFT OUTER JOIN comments ON … LEFT OUTER JOIN likes ON … WHERE posts.slug = ?';
  const request = req({ queries: [q(sql, 120_000, [at('getPost', '/app/routes/posts.js', 31)], { durationMs: 150 })] });
  const [top] = diagnose(cap([request]));
  assert.equal(top?.rule, 'join-fan-out');
  assert.equal(top?.location?.line, 31);
});

test('N+1 at the page size: 3 items, one venue query each', () => {
  const loop = at('upcoming', '/app/src/events.ts', 40);
  const request = req({
    items: 3,
    queries: [
      q('SELECT * FROM events LIMIT ?', 3, [at('upcoming', '/app/src/events.ts', 37)]),
      ...[1, 2, 3].map((v) => q('SELECT * FROM venues WHERE id = ?', 1, [loop], { valuesKey: `v${v}` })),
    ],
  });
  const [top] = diagnose(cap([request]));
  assert.equal(top?.rule, 'n-plus-one');
  assert.equal(top?.location?.line, 40);
});

test('N+1: six statements per article in one loop make one finding at the loop', () => {
  const handler = at('listArticles', '/app/routes/articles.js', 20, { async: true });
  const queries = [q('SELECT * FROM articles LIMIT ?', 20, [at('listArticles', '/app/routes/articles.js', 52)])];
  for (let article = 0; article < 20; article++) {
    for (let statement = 0; statement < 6; statement++) {
      queries.push(
        q(
          `SELECT s${statement} WHERE article_id = ?`,
          1,
          [at('serialize', '/app/routes/articles.js', 58 + statement), handler],
          { valuesKey: `${article}:${statement}` },
        ),
      );
    }
  }
  const findings = diagnose(cap([req({ items: 20, itemsPath: 'articles', queries })]));
  const loops = findings.filter((f) => f.rule === 'n-plus-one');
  assert.equal(loops.length, 1);
  assert.equal(loops[0]?.location?.line, 58);
  assert.match(loops[0]?.title ?? '', /6 statements per item/);
  assert.match(loops[0]?.title ?? '', /120 of 121 queries/);
});

test('the identical query again and again is a duplicate, blamed where it repeats most', () => {
  const fetchUser = at('getCurrentUser', '/app/lib/user.js', 9);
  const queries = [
    q('SELECT * FROM users WHERE id = $1', 1, [fetchUser, at('auth', '/app/middleware/auth.js', 5)], {
      valuesKey: 'same',
    }),
    ...Array.from({ length: 25 }, () =>
      q('SELECT * FROM users WHERE id = $1', 1, [fetchUser, at('format', '/app/routes/contacts.js', 44)], {
        valuesKey: 'same',
      }),
    ),
  ];
  const [top] = diagnose(cap([req({ items: 25, queries })]));
  assert.equal(top?.rule, 'duplicate-queries');
  assert.equal(top?.location?.line, 44);
});

test('a slow query in one run of three is noise; in most runs it is a finding at the statement line', () => {
  const repo = at('search', '/app/repo.js', 12);
  const run = (id: number, ms: number) =>
    req({
      id,
      wallMs: ms + 10,
      queries: [q('SELECT * FROM products WHERE brand = $1 ORDER BY price LIMIT 20', 20, [repo], { durationMs: ms })],
    });
  assert.deepEqual(
    diagnose(cap([run(1, 300), run(2, 3), run(3, 3)])).filter((f) => f.rule === 'slow-query'),
    [],
  );
  const [slow] = diagnose(cap([run(1, 300), run(2, 280), run(3, 3)]));
  assert.equal(slow?.rule, 'slow-query');
  assert.equal(slow?.location?.line, 12);
});

/** A profile: root → handler (app) → pbkdf2Sync (node), plus an unrelated library function. */
function cryptoProfile(): ProfileData {
  const fn = (
    name: string,
    file: string,
    line: number,
    category: 'app' | 'node' | 'dependency' | 'root',
    calls: number | null = null,
  ) => ({
    name,
    file,
    line,
    column: 1,
    category,
    calls,
    selfMs: 0,
    totalMs: 0,
  });
  return {
    sampleIntervalUs: 1000,
    requestCount: 2,
    durationMs: 300,
    countedRequests: 2,
    functions: [
      fn('(root)', '', 0, 'root'),
      fn('verifySignature', '/app/src/webhooks.ts', 10, 'app', 2),
      fn('pbkdf2Sync', 'node:internal/crypto/pbkdf2', 50, 'node'),
    ],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: 280 },
      { fn: 1, parent: 0, selfSamples: 10, selfMs: 10, totalMs: 280 },
      { fn: 2, parent: 1, selfSamples: 270, selfMs: 270, totalMs: 270 },
    ],
  };
}

test('sync crypto: the time in a Node call is charged to the app function that makes it, and explains the blocking', () => {
  const request = req({ method: 'POST', url: '/webhooks/github', wallMs: 150, cpuMs: 145, blockingMs: 140 });
  const { findings } = diagnoseFully(cap([request], cryptoProfile()));
  assert.equal(findings.length, 1, 'the blocked loop is folded into its cause');
  const [top] = findings;
  assert.equal(top?.rule, 'blocking-call');
  assert.equal(top?.location?.line, 10);
  assert.equal(top?.callee, 'pbkdf2Sync');
  assert.match(top?.title ?? '', /135 ms per request in Node's pbkdf2Sync/);
  assert.ok(top?.explains?.some((s) => /blocks the event loop/.test(s)));
});

test('a failed request is said to have failed, with its body', () => {
  const request = req({ status: 500, bodyHead: '{"error":"relation \\"users\\" does not exist"}' });
  const [top] = diagnose(cap([request]));
  assert.equal(top?.rule, 'request-failed');
  assert.match(top?.title ?? '', /answered 500/);
});

test('a long wait with no SQL seen gets a loud note', () => {
  const [top] = diagnose(cap([req({ wallMs: 400, cpuMs: 20 })]));
  assert.equal(top?.rule, 'unseen-queries');
  assert.equal(top?.severity, 'warning');
});

test('totals: request time, queries, rows, items with their key, and the share explained', () => {
  const request = req({
    items: 20,
    itemsPath: 'data',
    wallMs: 100,
    queries: [q('SELECT * FROM books', 80_000, [at('list', '/app/b.ts', 3)], { durationMs: 60 })],
  });
  const { totals } = diagnoseFully(cap([request]));
  assert.equal(totals[0]?.queries, 1);
  assert.equal(totals[0]?.rows, 80_000);
  assert.equal(totals[0]?.itemsPath, 'data');
  assert.ok((totals[0]?.explainedShare ?? 0) > 0.5);
});

test('a tree built from every row is not an over-fetch: the body carries the rows', () => {
  const request = req({
    items: 1,
    bytes: 640_000,
    queries: [q('SELECT * FROM employees', 8_000, [at('tree', '/app/org.js', 25)])],
  });
  assert.deepEqual(
    diagnose(cap([request])).filter((f) => f.rule === 'whole-table-load'),
    [],
  );
});

test('a CSV export (no JSON items) is never judged by rows per item', () => {
  const request = req({
    bytes: 400,
    queries: [q('SELECT * FROM submissions WHERE form_id = ?', 4_000, [at('exportCsv', '/app/forms.js', 9)])],
  });
  const { items: _none, ...withoutItems } = request;
  assert.deepEqual(diagnose(cap([withoutItems])), []);
});

test('a whole-table load that is also slow is one finding, its plan as evidence', () => {
  const sql = 'SELECT * FROM ephemeron';
  const request = req({
    wallMs: 400,
    queries: [q(sql, 30_000, [at('all', '/app/queryset.ts', 62)], { durationMs: 250, plan: ['SCAN ephemeron'] })],
  });
  const findings = diagnose(cap([request]));
  assert.deepEqual(
    findings.map((f) => f.rule),
    ['whole-table-load'],
  );
  assert.ok(findings[0]?.evidence.some((e) => e.label === 'plan' && e.value === 'SCAN ephemeron'));
});

test("a function's own hot code stays its own finding beside an N+1 issued from the same function", () => {
  const profile = cryptoProfile();
  profile.functions[1] = { ...profile.functions[1]!, name: 'buildFeed', file: '/app/feed.ts', line: 28 };
  profile.nodes[1] = { ...profile.nodes[1]!, selfMs: 270 };
  profile.nodes.pop();
  const loop = at('buildFeed', '/app/feed.ts', 32);
  const queries = Array.from({ length: 12 }, (_, i) =>
    q('SELECT * FROM items WHERE source_id = ?', 200, [loop], { valuesKey: `s${i}` }),
  );
  const rules = diagnose(cap([req({ items: 50, wallMs: 400, cpuMs: 390, bytes: 20_000, queries })], profile)).map(
    (f) => f.rule,
  );
  assert.ok(rules.includes('hot-function'), rules.join());
  assert.ok(rules.includes('n-plus-one'), rules.join());
});
