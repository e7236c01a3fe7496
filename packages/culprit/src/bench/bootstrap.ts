/**
 * Bootstrap confidence intervals for the ratio of two runs' quantiles, from
 * their latency histograms (value, count) alone — no per-request arrays.
 *
 * A bootstrap resample's k-th order statistic is the empirical quantile at
 * the k-th order statistic of n uniforms, which is Beta(k, n+1-k)
 * distributed. So one replicate is one Beta draw and one binary search,
 * exactly the percentile bootstrap at any n, in O(log buckets).
 */

/** A run's latency distribution: ascending distinct values and cumulative counts. */
export interface Distribution {
  values: number[];
  cumulative: number[];
  total: number;
}

/** Deterministic PRNG (mulberry32): the same inputs print the same interval. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Gamma(shape, 1) for shape ≥ 1 (Marsaglia & Tsang 2000). */
function gamma(shape: number, random: () => number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(a, b) for a, b ≥ 1. */
export function beta(a: number, b: number, random: () => number): number {
  const x = gamma(a, random);
  return x / (x + gamma(b, random));
}

/** The value of rank `rank` (1-based) in the distribution. */
export function valueAtRank(d: Distribution, rank: number): number {
  let lo = 0;
  let hi = d.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((d.cumulative[mid] ?? 0) >= rank) hi = mid;
    else lo = mid + 1;
  }
  return d.values[lo] ?? 0;
}

/** Nearest-rank quantile (q in 0..1), as the reports print it. */
export function quantile(d: Distribution, q: number): number {
  return valueAtRank(d, Math.min(d.total, Math.max(1, Math.ceil(q * d.total))));
}

function resampledQuantile(d: Distribution, q: number, random: () => number): number {
  const k = Math.min(d.total, Math.max(1, Math.ceil(q * d.total)));
  const u = beta(k, d.total + 1 - k, random);
  return valueAtRank(d, Math.min(d.total, Math.max(1, Math.ceil(u * d.total))));
}

export interface RatioInterval {
  /** quantile(a) / quantile(b): above 1 means b is faster. */
  ratio: number;
  low: number;
  high: number;
  /** True when the interval excludes 1 (the runs differ at this confidence). */
  significant: boolean;
}

export const BOOTSTRAP_RESAMPLES = 10_000;
export const CONFIDENCE = 0.95;

/** Percentile-bootstrap interval of quantile(a)/quantile(b). */
export function ratioInterval(a: Distribution, b: Distribution, q: number, seed = 1): RatioInterval {
  const random = seededRandom(seed);
  const ratios = new Float64Array(BOOTSTRAP_RESAMPLES);
  for (let i = 0; i < ratios.length; i++) {
    ratios[i] = resampledQuantile(a, q, random) / Math.max(resampledQuantile(b, q, random), Number.MIN_VALUE);
  }
  ratios.sort();
  const tail = (1 - CONFIDENCE) / 2;
  const low = ratios[Math.floor(tail * ratios.length)] ?? Number.NaN;
  const high = ratios[Math.min(ratios.length - 1, Math.ceil((1 - tail) * ratios.length) - 1)] ?? Number.NaN;
  const ratio = quantile(a, q) / Math.max(quantile(b, q), Number.MIN_VALUE);
  return { ratio, low, high, significant: low > 1 || high < 1 };
}
