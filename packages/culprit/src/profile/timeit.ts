/**
 * The timeit line, as IPython's `%timeit` prints it, from per-loop timings:
 * `10 loops, best of 10: 341 ms per loop (mean 352 ms ± 12 ms, median 349 ms)`.
 */

export interface TimeitStats {
  loops: number;
  minMs: number;
  medianMs: number;
  meanMs: number;
  /** Sample standard deviation (n − 1); 0 for one loop. */
  stdevMs: number;
  maxMs: number;
}

export function timeitStats(loopsMs: readonly number[]): TimeitStats | null {
  if (loopsMs.length === 0) return null;
  const sorted = [...loopsMs].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / n;
  const variance = n > 1 ? sorted.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1) : 0;
  const mid = n >> 1;
  const median = n % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return {
    loops: n,
    minMs: sorted[0]!,
    medianMs: median,
    meanMs: mean,
    stdevMs: Math.sqrt(variance),
    maxMs: sorted[n - 1]!,
  };
}

export function timeitLine(stats: TimeitStats): string {
  const loops = `${stats.loops} loop${stats.loops === 1 ? '' : 's'}`;
  return (
    `${loops}, best of ${stats.loops}: ${formatDuration(stats.minMs)} per loop ` +
    `(mean ${formatDuration(stats.meanMs)} ± ${formatDuration(stats.stdevMs)}, median ${formatDuration(stats.medianMs)})`
  );
}

/** 3 significant digits in the unit IPython would pick (s, ms, µs, ns). */
export function formatDuration(ms: number): string {
  if (ms >= 1000) return `${significant(ms / 1000)} s`;
  if (ms >= 1) return `${significant(ms)} ms`;
  if (ms >= 0.001) return `${significant(ms * 1000)} µs`;
  if (ms === 0) return '0 ns';
  return `${significant(ms * 1e6)} ns`;
}

function significant(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}
