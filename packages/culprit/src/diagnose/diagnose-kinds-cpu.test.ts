/**
 * One test per kind of cause whose time is CPU or response shape rather than one
 * statement: models built per row, sync crypto, failures, totals, trees and exports,
 * hot code beside queries, on captures shaped like applications the rules were not
 * written next to.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProfileData } from '../capture/types.js';
import { diagnose, diagnoseFully } from './diagnose.js';
import { capture, profileFunction, request } from './test-support/captures.js';
import { at, q } from './test-support/query-frames.js';

const req = request;
const cap = capture;

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

/** A profile where a library calls back into app code: `caller` (dependency) → `app` → `callee` (dependency). */
function sandwichProfile(
  app: { name: string; file: string; line: number },
  pkg: string,
  calleeName: string,
): ProfileData {
  const fn = profileFunction;
  return {
    sampleIntervalUs: 1000,
    requestCount: 2,
    durationMs: 100,
    countedRequests: 0,
    functions: [
      fn('(root)', '', 0, 'root'),
      fn('build', `/app/node_modules/${pkg}/lib/model.js`, 40, 'dependency', { package: pkg }),
      fn(app.name, app.file, app.line, 'app', { selfMs: 0.2, totalMs: 40 }),
      fn(calleeName, `/app/node_modules/${pkg}/lib/model.js`, 90, 'dependency', { package: pkg }),
    ],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: 40 },
      { fn: 1, parent: 0, selfSamples: 0, selfMs: 0, totalMs: 40 },
      { fn: 2, parent: 1, selfSamples: 0, selfMs: 0.2, totalMs: 40 },
      { fn: 3, parent: 2, selfSamples: 40, selfMs: 39.8, totalMs: 39.8 },
    ],
  };
}

test('model building: an ORM constructing the app class per row is charged to the query that returned the rows', () => {
  const listOpen = at('listOpen', '/app/src/invoices.js', 17);
  const sql = 'SELECT "id", "total" FROM "invoices" AS "Invoice" WHERE "Invoice"."status" = ?';
  const request = req({ wallMs: 60, items: 2500, queries: [q(sql, 2500, [listOpen], { durationMs: 5 })] });
  const profile = sandwichProfile(
    { name: 'Invoice', file: '/app/src/models/invoice.js', line: 5 },
    'sequelize',
    'Model',
  );
  const [top] = diagnose(cap([request], profile));
  assert.equal(top?.location?.line, 17, 'the findAll call, not the class line');
  assert.equal(top?.location?.file, '/app/src/invoices.js');
  assert.match(top?.title ?? '', /building 2,500 Invoice instances \(sequelize's Model\)/);
  assert.match(top?.suggestion ?? '', /raw: true/);
  // a callback the library calls (a route handler in the router) keeps the time it spends in that library
  const handler = sandwichProfile({ name: 'listInvoices', file: '/app/src/routes.js', line: 30 }, 'express', 'json');
  const [own] = diagnose(cap([request], handler));
  assert.equal(own?.location?.file, '/app/src/routes.js');
  assert.match(own?.title ?? '', /listInvoices/);
});

test('sync crypto: the time in a Node call is charged to the app function that makes it, and explains the blocking', () => {
  const request = req({ method: 'POST', url: '/webhooks/github', wallMs: 150, cpuMs: 145, blockingMs: 140 });
  const { findings } = diagnoseFully(cap([request], cryptoProfile()));
  assert.equal(findings.length, 1, 'the blocked loop is folded into its cause');
  const [top] = findings;
  assert.equal(top?.rule, 'blocking-call');
  assert.equal(top?.location?.line, 10);
  assert.equal(top?.callee, 'pbkdf2Sync');
  // the traced request's 145 ms of CPU, 270 of the profile's 280 ms of it in pbkdf2Sync
  assert.match(top?.title ?? '', /140 ms per request in Node's pbkdf2Sync/);
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

test("rows an aggregate needs, looped over by the app's own quadratic code: the hot code is named, not the load", () => {
  // a report: 25,000 shipment rows folded into 6 carriers, each row matched by scanning a rate table
  const handler = at('carrierReport', '/app/lib/reports/carriers.mjs', 12);
  const request = req({
    url: '/reports/carriers',
    wallMs: 1400,
    cpuMs: 900,
    bytes: 900,
    items: 6,
    queries: [
      q('SELECT carrier, weight, zone FROM shipments WHERE shipped_at >= $1', 25_000, [handler], { durationMs: 120 }),
    ],
  });
  const fn = (name: string, file: string, line: number, category: 'app' | 'root') => ({
    name,
    file,
    line,
    column: 1,
    category,
    calls: null,
    selfMs: 0,
    totalMs: 0,
  });
  const profile: ProfileData = {
    sampleIntervalUs: 1000,
    requestCount: 1,
    durationMs: 900,
    countedRequests: 1,
    functions: [
      fn('(root)', '', 0, 'root'),
      fn('carrierReport', '/app/lib/reports/carriers.mjs', 8, 'app'),
      fn('rateFor', '/app/lib/reports/rates.mjs', 30, 'app'),
    ],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: 900 },
      { fn: 1, parent: 0, selfSamples: 90, selfMs: 90, totalMs: 900 },
      { fn: 2, parent: 1, selfSamples: 810, selfMs: 810, totalMs: 810 },
    ],
  };
  const findings = diagnose(cap([request], profile));
  assert.equal(findings[0]?.location?.file, '/app/lib/reports/rates.mjs', findings.map((f) => f.title).join('\n'));
  // the load is still reported, ranked by what fewer rows would save
  const load = findings.find((f) => f.rule === 'over-fetch');
  assert.ok(load, 'the 25,000 rows are still a finding');
  assert.notEqual(load?.severity, 'critical');
  // without the hot code the same load is critical by its row count alone
  const [alone] = diagnose(cap([request]));
  assert.equal(alone?.rule, 'over-fetch');
  assert.equal(alone?.severity, 'critical');
});
