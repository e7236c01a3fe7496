/**
 * `assertScales({ seed, request, sizes })`: seeds the data at each size, runs
 * the request in a measure() window, and fails when queries, rows,
 * constructions or HTTP calls grow with n faster than allowed (O(1) unless
 * the test allows O(n) for a field). No guessed totals: the data sizes are
 * the only numbers the test gives.
 */
import { AssertionError } from 'node:assert';
import { type MeasureOptions, measure } from '../in-process/measure.js';
import type { Measurement } from '../in-process/to-measurement.js';
import { describeScaling, type Growth, type ScaledField, type ScalingBreach, scalingBreaches } from './growth.js';

export interface ScalesOptions {
  /** Leaves exactly `n` items of the data the request reads (replace, not add). */
  seed: (n: number) => unknown;
  /** The request, as in measure(): `() => app.inject(url)`, `() => request(app).get(url)`. */
  request: () => unknown;
  /** Data sizes, at least two, increasing: [5, 50]. Sizes above any page size tell more. */
  sizes: readonly number[];
  /** Growth allowed per field; every field not named is O(1). */
  allow?: Partial<Record<ScaledField, Growth>>;
  /** Requests sent (unmeasured) before the measured one at each size: lazy set-up is not growth. Default 1. */
  warmup?: number;
  /** Names the request in the message. */
  label?: string;
  measure?: Omit<MeasureOptions, 'label'>;
}

export interface ScalingReport {
  runs: Array<{ n: number; measured: Measurement }>;
  breaches: ScalingBreach[];
  /** The failure message, or undefined when the request scales as allowed. */
  failure?: string;
}

function checkSizes(sizes: readonly number[]): void {
  const increasing = sizes.every((n, i) => Number.isFinite(n) && n >= 0 && (i === 0 || n > (sizes[i - 1] ?? 0)));
  if (sizes.length < 2 || !increasing) {
    throw new TypeError(
      `assertScales: sizes must be two or more increasing counts (e.g. [5, 50]), got ${JSON.stringify(sizes)}`,
    );
  }
}

/** Measures the request at each size; the report says what grew. */
export async function measureScaling(options: ScalesOptions): Promise<ScalingReport> {
  checkSizes(options.sizes);
  const runs: ScalingReport['runs'] = [];
  for (const [index, n] of options.sizes.entries()) {
    await options.seed(n);
    if (index === 0) for (let i = 0; i < (options.warmup ?? 1); i++) await options.request();
    runs.push({ n, measured: await measure(options.request, { constructions: true, ...options.measure }) });
  }
  const breaches = scalingBreaches(runs, options.allow ?? {});
  const report: ScalingReport = { runs, breaches };
  if (breaches.length) report.failure = describeScaling(options.label ?? 'the request', runs, breaches);
  return report;
}

/** Throws an AssertionError naming each field that grew and the line that grew most. */
export async function assertScales(options: ScalesOptions): Promise<ScalingReport> {
  const report = await measureScaling(options);
  if (report.failure) throw new AssertionError({ message: report.failure, operator: 'assertScales' });
  return report;
}
