import { CulpritError } from '../errors/culprit-error.js';
import { parseDurationMs } from './duration.js';

/** What a threshold reads from a finished run; latencies in ms. */
export interface ThresholdInputs {
  latencyMs: Record<'min' | 'mean' | 'max' | 'p50' | 'p75' | 'p90' | 'p95' | 'p99' | 'p999', number>;
  rps: number;
  errors: number;
  /** errors ÷ (requests + errors), in percent. */
  errorPercent: number;
}

export type Metric = keyof ThresholdInputs['latencyMs'] | 'rps' | 'errors' | 'errors%';
export type Operator = '>' | '>=' | '<' | '<=';

/** One `--fail-if` condition: the run fails when `metric op value` holds (as k6 thresholds, inverted). */
export interface Threshold {
  source: string;
  metric: Metric;
  op: Operator;
  /** ms for latencies, a count for errors, percent for errors%, requests/s for rps. */
  value: number;
}

const latencyAliases: Record<string, keyof ThresholdInputs['latencyMs']> = {
  min: 'min',
  mean: 'mean',
  avg: 'mean',
  max: 'max',
  p50: 'p50',
  median: 'p50',
  p75: 'p75',
  p90: 'p90',
  p95: 'p95',
  p99: 'p99',
  p999: 'p999',
  'p99.9': 'p999',
};

/** Parses `p99>200ms`, `mean>=1.5s`, `rps<1000`, `errors>0`, `errors>1%`; several may be comma-separated. */
export function parseThresholds(texts: readonly string[]): Threshold[] {
  return texts.flatMap((text) => text.split(',')).map(parseOne);
}

function parseOne(source: string): Threshold {
  const m = /^\s*([a-z0-9.%]+)\s*(>=|<=|>|<)\s*([0-9.]+)\s*([a-zµ%]*)\s*$/i.exec(source);
  const bad = (why: string): CulpritError =>
    new CulpritError(
      'CULPRIT_E_BAD_THRESHOLD',
      `--fail-if '${source}': ${why}; expected e.g. 'p99>200ms', 'rps<500', 'errors>1%'`,
    );
  if (!m) throw bad('not METRIC OP VALUE');
  const [, rawMetric = '', op = '>', number = '', unit = ''] = m;
  const metricName = rawMetric.toLowerCase();
  const latency = latencyAliases[metricName];
  if (latency) {
    const ms = parseDurationMs(`${number}${unit || 'ms'}`);
    if (ms === undefined) throw bad(`unknown time unit '${unit}'`);
    return { source, metric: latency, op: op as Operator, value: ms };
  }
  const value = Number(number);
  if (!Number.isFinite(value)) throw bad('value is not a number');
  if (metricName === 'rps' && unit === '') return { source, metric: 'rps', op: op as Operator, value };
  if (metricName === 'errors' && unit === '') return { source, metric: 'errors', op: op as Operator, value };
  if ((metricName === 'errors' && unit === '%') || (metricName === 'errors%' && unit === '')) {
    return { source, metric: 'errors%', op: op as Operator, value };
  }
  throw bad(`unknown metric '${rawMetric}${unit ? ` with unit ${unit}` : ''}'`);
}

/** The thresholds whose condition holds for this run (each one fails it). */
export function brokenThresholds(thresholds: readonly Threshold[], inputs: ThresholdInputs): Threshold[] {
  return thresholds.filter((t) => {
    const actual = metricValue(t.metric, inputs);
    switch (t.op) {
      case '>':
        return actual > t.value;
      case '>=':
        return actual >= t.value;
      case '<':
        return actual < t.value;
      case '<=':
        return actual <= t.value;
    }
    return false;
  });
}

export function metricValue(metric: Metric, inputs: ThresholdInputs): number {
  if (metric === 'rps') return inputs.rps;
  if (metric === 'errors') return inputs.errors;
  if (metric === 'errors%') return inputs.errorPercent;
  return inputs.latencyMs[metric];
}
