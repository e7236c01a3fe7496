import type { Int32Histogram } from 'hdr-histogram-js';
import { CulpritError } from '../errors/culprit-error.js';
import { type Distribution, quantile, type RatioInterval, ratioInterval } from './bootstrap.js';
import { COMPARED_UNIT, comparabilityWarnings, type RunShape } from './comparable.js';
import { decodeHistogram } from './stats.js';
import { SUMMARY_SCHEMA } from './summary.js';
import { formatTimeAuto } from './time-unit.js';

/** The parts of a saved `culprit bench --json` result that compare reads. */
export interface SavedRun {
  label: string;
  requests: number;
  errors: number;
  rps: number;
  histogram: Int32Histogram;
  /** What was sent and in which unit latencies are, to tell runs that cannot be compared. */
  shape: RunShape;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Narrows a parsed JSON file to a bench result, or says what is wrong with it. */
export function readSavedRun(json: unknown, label: string): SavedRun {
  const bad = (why: string): CulpritError =>
    new CulpritError(
      'CULPRIT_E_BAD_CAPTURE',
      `${label}: ${why}; expected the output of culprit bench --json or --save`,
    );
  if (isRecord(json) && typeof json.schema === 'string' && json.schema.startsWith('culprit.capture/'))
    throw bad('a capture of culprit trace/profile/diagnose, not a bench run');
  if (!isRecord(json) || json.schema !== SUMMARY_SCHEMA) throw bad(`not a ${SUMMARY_SCHEMA} object`);
  const { requests, errors, rps, histogram } = json;
  if (typeof requests !== 'number' || typeof errors !== 'number' || typeof rps !== 'number')
    throw bad('counts missing');
  if (typeof histogram !== 'string') throw bad('histogram missing');
  let decoded: Int32Histogram;
  try {
    decoded = decodeHistogram(histogram);
  } catch (cause) {
    throw new CulpritError('CULPRIT_E_BAD_CAPTURE', `${label}: histogram does not decode`, { cause });
  }
  if (decoded.totalCount === 0) throw bad('no successful request to compare');
  return { label, requests, errors, rps, histogram: decoded, shape: shapeOf(json, label) };
}

function shapeOf(json: Record<string, unknown>, label: string): RunShape {
  const { url, method, concurrency, rate, histogramUnit } = json;
  const shape: RunShape = { label, unit: typeof histogramUnit === 'string' ? histogramUnit : COMPARED_UNIT };
  if (typeof url === 'string') shape.url = url;
  if (typeof method === 'string') shape.method = method;
  if (typeof concurrency === 'number') shape.concurrency = concurrency;
  if (typeof rate === 'number' || rate === null) shape.rate = rate;
  return shape;
}

/** A histogram of µs as a distribution of ms for the bootstrap. */
export function toDistribution(h: Int32Histogram): Distribution {
  const values: number[] = [];
  const cumulative: number[] = [];
  let total = 0;
  const it = h.recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    total += v.countAtValueIteratedTo;
    values.push(Math.min(v.valueIteratedTo, h.maxValue) / 1000);
    cumulative.push(total);
  }
  return { values, cumulative, total };
}

export interface Comparison {
  a: { label: string; requests: number; errors: number; rps: number; p50Ms: number; p99Ms: number };
  b: Comparison['a'];
  /** A's median ÷ B's median, with a 95% bootstrap interval: above 1 means B is faster. */
  median: RatioInterval;
  p99: RatioInterval;
  method: string;
  /** How the runs differ in what they sent or how (different URLs, methods, load): read the ratios with that in mind. */
  warnings: string[];
}

/** Compares two runs (pure); throws CULPRIT_E_INCOMPARABLE_RUNS when their latencies cannot be set side by side. */
export function compareRuns(a: SavedRun, b: SavedRun): Comparison {
  const warnings = comparabilityWarnings(a.shape, b.shape);
  const da = toDistribution(a.histogram);
  const db = toDistribution(b.histogram);
  const side = (run: SavedRun, d: Distribution): Comparison['a'] => ({
    label: run.label,
    requests: run.requests,
    errors: run.errors,
    rps: run.rps,
    p50Ms: quantile(d, 0.5),
    p99Ms: quantile(d, 0.99),
  });
  return {
    a: side(a, da),
    b: side(b, db),
    median: ratioInterval(da, db, 0.5, 1),
    p99: ratioInterval(da, db, 0.99, 2),
    method: '95% percentile-bootstrap intervals: 10,000 resamples of each run, drawn from its latency histogram',
    warnings,
  };
}

const x = (r: number): string => `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;

/** "B is 3.50× faster (median 350 ms → 100 ms, 95% CI 3.31×–3.72×)" or the opposite, or no significant difference. */
export function verdict(what: string, from: number, to: number, r: RatioInterval): string {
  const range = `${what} ${formatTimeAuto(from)} → ${formatTimeAuto(to)}`;
  if (!r.significant) {
    return `no significant difference in the ${what} (${range}, B/A ratio 95% CI ${x(1 / r.high)}–${x(1 / r.low)} includes 1×)`;
  }
  if (r.ratio >= 1) return `B is ${x(r.ratio)} faster (${range}, 95% CI ${x(r.low)}–${x(r.high)})`;
  return `B is ${x(1 / r.ratio)} slower (${range}, 95% CI ${x(1 / r.high)}–${x(1 / r.low)})`;
}

/** The side-by-side text of `culprit compare`. */
export function renderComparison(c: Comparison): string {
  const rows: [string, string, string][] = [
    ['', `A: ${c.a.label}`, `B: ${c.b.label}`],
    ['requests', String(c.a.requests), String(c.b.requests)],
    ['errors', String(c.a.errors), String(c.b.errors)],
    ['requests/s', c.a.rps.toFixed(1), c.b.rps.toFixed(1)],
    ['median', formatTimeAuto(c.a.p50Ms), formatTimeAuto(c.b.p50Ms)],
    ['p99', formatTimeAuto(c.a.p99Ms), formatTimeAuto(c.b.p99Ms)],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length)) + 2;
  const w1 = Math.max(...rows.map((r) => r[1].length)) + 2;
  return [
    ...rows.map(([k, a, b]) => `${k.padEnd(w0)}${a.padEnd(w1)}${b}`),
    '',
    `median: ${verdict('median', c.a.p50Ms, c.b.p50Ms, c.median)}`,
    `p99:    ${verdict('p99', c.a.p99Ms, c.b.p99Ms, c.p99)}`,
    `(${c.method})`,
    '',
  ].join('\n');
}
