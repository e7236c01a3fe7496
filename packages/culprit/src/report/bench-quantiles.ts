import * as hdr from 'hdr-histogram-js';
import type { BenchSummary } from '../capture/types.js';

/** Latency (ms) at percentiles 0..100 from a bench's encoded HDR histogram (microseconds); undefined if absent or unreadable. */
export function benchQuantiles(bench: BenchSummary | undefined): number[] | undefined {
  if (!bench || typeof bench.histogram !== 'string' || bench.histogram === '') return undefined;
  try {
    const histogram = hdr.decodeFromCompressedBase64(bench.histogram);
    if (histogram.totalCount === 0) return undefined;
    const out: number[] = [];
    for (let p = 0; p <= 100; p++) out.push(histogram.getValueAtPercentile(p === 0 ? 0.0001 : p) / 1000);
    return out;
  } catch {
    // A histogram we cannot decode only costs the chart; the bench figures still show.
    return undefined;
  }
}
