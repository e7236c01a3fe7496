import type { Int32Histogram } from 'hdr-histogram-js';
import type { LoadOptions } from './options.js';
import { type BenchStats, type PhaseName, type PhaseStats, phaseNames, toData } from './stats.js';
import type { ThresholdInputs } from './thresholds.js';

export const SUMMARY_SCHEMA = 'culprit.bench/1';

/**
 * The `--json` / `--save` object (schema `culprit.bench/1`), also what the
 * text report and `culprit compare` read. `histogram` is hdr-histogram-js's
 * compressed base64 encoding of the latencies in microseconds: decode it with
 * `decodeFromCompressedBase64` and add runs together to merge them. JSON
 * Schema: summary.schema.json (checked against this type by a test).
 */
export interface BenchSummary {
  schema: typeof SUMMARY_SCHEMA;
  url: string;
  method: string;
  concurrency: number;
  /** Target total rate of a paced run (-q), else null. */
  rate: number | null;
  /** Responses received (any status). */
  requests: number;
  /** Requests without a complete response (see errorKinds). */
  errors: number;
  durationS: number;
  rps: number;
  latencyMs: ThresholdInputs['latencyMs'];
  statusCodes: Record<string, number>;
  errorKinds: Record<string, number>;
  /** Body bytes received. */
  bytes: number;
  /** Paced runs: sends that left later than their slot. */
  lateSends: number;
  /** hey's Details: average, fastest, slowest per phase, in ms, over the requests that had the phase. */
  details: Record<PhaseName, { count: number; meanMs: number; minMs: number; maxMs: number }>;
  histogram: string;
  histogramUnit: 'us';
}

/** Percentile in ms, never above the largest recorded value (HDR reports bucket tops). */
export function percentileMs(h: Int32Histogram, p: number): number {
  if (h.totalCount === 0) return 0;
  return Math.min(h.getValueAtPercentile(p), h.maxValue) / 1000;
}

/** Latency figures of a histogram of µs, in ms. */
export function latencySummary(h: Int32Histogram): ThresholdInputs['latencyMs'] {
  const empty = h.totalCount === 0;
  return {
    min: empty ? 0 : h.minNonZeroValue / 1000,
    mean: empty ? 0 : h.mean / 1000,
    max: empty ? 0 : h.maxValue / 1000,
    p50: percentileMs(h, 50),
    p75: percentileMs(h, 75),
    p90: percentileMs(h, 90),
    p95: percentileMs(h, 95),
    p99: percentileMs(h, 99),
    p999: percentileMs(h, 99.9),
  };
}

function detail(phase: PhaseStats): BenchSummary['details'][PhaseName] {
  return phase.count === 0
    ? { count: 0, meanMs: 0, minMs: 0, maxMs: 0 }
    : { count: phase.count, meanMs: phase.sumMs / phase.count, minMs: phase.minMs, maxMs: phase.maxMs };
}

/** Turns a finished run into its summary (pure). */
export function summarize(load: LoadOptions, stats: BenchStats): BenchSummary {
  const durationS = stats.durationMs / 1000;
  const data = toData(stats);
  const details = Object.fromEntries(
    phaseNames.map((name) => [name, detail(stats.phases[name])]),
  ) as BenchSummary['details'];
  return {
    schema: SUMMARY_SCHEMA,
    url: load.url,
    method: load.method,
    concurrency: load.concurrency,
    rate: load.rate ?? null,
    requests: stats.requests,
    errors: stats.errors,
    durationS,
    rps: durationS > 0 ? stats.requests / durationS : 0,
    latencyMs: latencySummary(stats.latencyUs),
    statusCodes: data.statusCodes,
    errorKinds: data.errorKinds,
    bytes: stats.bytes,
    lateSends: stats.lateSends,
    details,
    histogram: data.histogram,
    histogramUnit: 'us',
  };
}

/** What `--fail-if` reads from a summary. */
export function thresholdInputs(s: BenchSummary): ThresholdInputs {
  const attempts = s.requests + s.errors;
  return {
    latencyMs: s.latencyMs,
    rps: s.rps,
    errors: s.errors,
    errorPercent: attempts === 0 ? 0 : (100 * s.errors) / attempts,
  };
}
