import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CulpritError } from '../errors/culprit-error.js';
import { brokenThresholds, parseThresholds, type ThresholdInputs } from './thresholds.js';

const run: ThresholdInputs = {
  latencyMs: { min: 1, mean: 50, max: 900, p50: 40, p75: 60, p90: 90, p95: 120, p99: 250, p999: 800 },
  rps: 480,
  errors: 3,
  errorPercent: 0.6,
};

test('parses metrics, operators and units', () => {
  assert.deepEqual(
    parseThresholds(['p99>200ms', 'mean>=1.5s', 'rps<500,errors>0', 'errors>1%', 'p99.9<=900us', 'max>2']).map((t) => [
      t.metric,
      t.op,
      t.value,
    ]),
    [
      ['p99', '>', 200],
      ['mean', '>=', 1500],
      ['rps', '<', 500],
      ['errors', '>', 0],
      ['errors%', '>', 1],
      ['p999', '<=', 0.9],
      ['max', '>', 2],
    ],
  );
});

test('a threshold fails the run when its condition holds', () => {
  const broken = brokenThresholds(parseThresholds(['p99>200ms', 'p50>100ms', 'rps<500', 'errors>1%', 'errors>0']), run);
  assert.deepEqual(
    broken.map((t) => t.source),
    ['p99>200ms', 'rps<500', 'errors>0'],
  );
});

test('malformed thresholds are usage errors', () => {
  for (const bad of ['p99', 'p99>>1', 'p98>1ms', 'p99>1parsec', 'rps>1ms', '>1']) {
    assert.throws(
      () => parseThresholds([bad]),
      (e: unknown) => e instanceof CulpritError && e.code === 'CULPRIT_E_BAD_THRESHOLD',
      bad,
    );
  }
});
