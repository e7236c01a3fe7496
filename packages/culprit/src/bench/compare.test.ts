import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CulpritError } from '../errors/culprit-error.js';
import { quantile } from './bootstrap.js';
import { compareRuns, readSavedRun, renderComparison, toDistribution } from './compare.js';
import { createStats } from './stats.js';
import { summarize } from './summary.js';
import { loadOptions } from './test-support/load-options.js';

/** A saved run whose latencies spread ±10% around `centerMs` (deterministic). */
function savedRun(centerMs: number, n: number) {
  const stats = createStats();
  for (let i = 0; i < n; i++) {
    stats.latencyUs.recordValue(Math.round(centerMs * 1000 * (0.9 + (0.2 * i) / n)));
    stats.requests++;
  }
  stats.durationMs = 1000;
  const json = JSON.parse(JSON.stringify(summarize(loadOptions({ url: 'http://x/', requests: n }), stats)));
  return readSavedRun(json, `${centerMs}ms.json`);
}

test("the story's 350 ms → 100 ms reads as 3.5× faster with an interval around it", () => {
  const c = compareRuns(savedRun(350, 200), savedRun(100, 200));
  assert.ok(Math.abs(c.median.ratio - 3.5) < 0.02, `ratio ${c.median.ratio}`);
  assert.ok(c.median.low < c.median.ratio && c.median.ratio < c.median.high);
  assert.ok(c.median.low > 3.2 && c.median.high < 3.8, `${c.median.low}–${c.median.high}`);
  assert.equal(c.median.significant, true);
  const text = renderComparison(c);
  assert.match(text, /median: B is 3\.50× faster \(median 3\d\d\.\d ms → \d+\.\d+ ms, 95% CI 3\.\d\d×–3\.\d\d×\)/);
  assert.match(text, /bootstrap/);
});

test('two samples of the same distribution are not called different', () => {
  const c = compareRuns(savedRun(100, 300), savedRun(100, 301));
  assert.equal(c.median.significant, false);
  assert.match(renderComparison(c), /no significant difference in the median/);
});

test('a slower B says slower', () => {
  const c = compareRuns(savedRun(100, 100), savedRun(200, 100));
  assert.match(renderComparison(c), /B is 2\.0\d× slower/);
});

test('nearest-rank quantiles from the histogram', () => {
  const d = toDistribution(savedRun(100, 10).histogram);
  assert.equal(d.total, 10);
  assert.ok(quantile(d, 1) >= quantile(d, 0.5));
});

test('files that are not bench results are rejected with a coded error', () => {
  for (const bad of [
    null,
    {},
    { schema: 'culprit.bench/1' },
    { schema: 'culprit.bench/1', requests: 1, errors: 0, rps: 1, histogram: '' },
  ]) {
    assert.throws(
      () => readSavedRun(bad, 'x.json'),
      (e: unknown) => e instanceof CulpritError && e.code === 'CULPRIT_E_BAD_CAPTURE',
    );
  }
});
