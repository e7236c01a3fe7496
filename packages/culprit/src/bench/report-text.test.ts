import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvRow } from './report-csv.js';
import { latencyBuckets, renderTextReport } from './report-text.js';
import { countError, countStatus, createStats, recordPhase } from './stats.js';
import { summarize } from './summary.js';
import { loadOptions } from './test-support/load-options.js';
import { formatTimeAuto } from './time-unit.js';

const load = loadOptions({ timeoutMs: 20_000 });

/** The story's `-n 10 -c 1`: ten latencies of 10, 20, … 100 ms. */
function tenRequests() {
  const stats = createStats();
  for (let i = 1; i <= 10; i++) {
    stats.latencyUs.recordValue(i * 10_000);
    stats.requests++;
    stats.bytes += 100;
    countStatus(stats, i === 10 ? 503 : 200);
    recordPhase(stats.phases.wait, i * 10);
  }
  countError(stats, 'timeout');
  stats.durationMs = 550;
  return stats;
}

test('percentiles are right at small n (hey -n 10 -c 1 prints 95% and 99% as 0)', () => {
  const s = summarize(load, tenRequests());
  // HDR keeps 3 significant digits: values are exact to 0.1%.
  const near = (actual: number, expected: number): void =>
    assert.ok(Math.abs(actual - expected) <= expected * 0.001, `${actual} ≈ ${expected}`);
  near(s.latencyMs.p50, 50);
  near(s.latencyMs.p95, 100);
  near(s.latencyMs.p99, 100);
  near(s.latencyMs.p999, 100);
  near(s.latencyMs.max, 100);
  near(s.latencyMs.min, 10);
  assert.ok(Math.abs(s.latencyMs.mean - 55) < 0.1);
  assert.ok(Math.abs(s.rps - 10 / 0.55) < 1e-9);
});

test("the report has hey's sections in hey's order, with p99.9 and max", () => {
  const text = renderTextReport(summarize(load, tenRequests()));
  const order = [
    'Summary:',
    'Total:',
    'Slowest:',
    'Fastest:',
    'Average:',
    'Requests/sec:',
    'Total data:',
    'Size/request:',
    'Response time histogram:',
    'Latency distribution:',
    '10% in',
    '25% in',
    '50% in',
    '75% in',
    '90% in',
    '95% in',
    '99% in',
    '99.9% in',
    'max in',
    'Details (average, fastest, slowest):',
    'DNS+dialup:',
    'DNS-lookup:',
    'req write:',
    'resp wait:',
    'resp read:',
    'Status code distribution:',
    'Error distribution:',
  ];
  let at = -1;
  for (const label of order) {
    const next = text.indexOf(label, at + 1);
    assert.ok(next > at, `${label} after the previous section`);
    at = next;
  }
  assert.match(text, / {3}95% in 100\.0 ms/);
  assert.match(text, /Slowest: +100\.0 ms/);
  assert.match(text, /Size\/request: +100 bytes/);
  assert.match(text, /\[200\]\t9 responses/);
  assert.match(text, /\[503\]\t1 responses/);
  assert.match(text, /\[1\]\ttimeout/);
  assert.doesNotMatch(text, /0\.000 secs/);
});

test('the histogram has 11 rows from fastest to slowest that count every request', () => {
  const stats = tenRequests();
  const rows = latencyBuckets(stats.latencyUs);
  assert.equal(rows.length, 11);
  assert.equal(rows[0]?.markMs, 10);
  assert.equal(rows[10]?.markMs, 100);
  assert.equal(
    rows.reduce((sum, r) => sum + r.count, 0),
    10,
  );
});

test('one row when every request took the same time', () => {
  const stats = createStats();
  stats.latencyUs.recordValueWithCount(2000, 5);
  assert.deepEqual(latencyBuckets(stats.latencyUs), [{ markMs: 2, count: 5 }]);
});

test('times pick their unit', () => {
  assert.equal(formatTimeAuto(0), '0 ms');
  assert.equal(formatTimeAuto(0.0421), '42.10 µs');
  assert.equal(formatTimeAuto(0.812), '812.0 µs');
  assert.equal(formatTimeAuto(64.367), '64.37 ms');
  assert.equal(formatTimeAuto(350), '350.0 ms');
  assert.equal(formatTimeAuto(12_345), '12.35 s');
});

test("csv rows follow hey's columns in seconds", () => {
  assert.equal(
    csvRow({
      latencyMs: 12.5,
      dialMs: 1,
      dnsMs: 0,
      writeMs: 0.1,
      waitMs: 11,
      readMs: 0.4,
      status: 200,
      offsetMs: 1000,
    }),
    '0.0125,0.0010,0.0000,0.0001,0.0110,0.0004,200,1.0000\n',
  );
});

test('an empty run renders without crashing', () => {
  const stats = createStats();
  countError(stats, 'refused');
  const text = renderTextReport(summarize(load, stats));
  assert.match(text, /\[1\]\trefused/);
  assert.doesNotMatch(text, /Latency distribution/);
});
