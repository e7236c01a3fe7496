/**
 * Latency over time for one route, in fixed-width buckets that double in
 * width when there are too many of them: an hour-long watch stays as small as
 * a minute-long one. Pure.
 */

export interface SeriesBucket {
  /** Seconds from the watch's start to the bucket's start. */
  t: number;
  count: number;
  meanMs: number;
  maxMs: number;
  errors: number;
}

/** Buckets kept before their width doubles. */
export const MAX_BUCKETS = 300;

interface Bucket {
  count: number;
  sumMs: number;
  maxMs: number;
  errors: number;
}

export class LatencySeries {
  private readonly buckets = new Map<number, Bucket>();

  constructor(private widthS = 1) {}

  get bucketS(): number {
    return this.widthS;
  }

  /** Widens buckets to `widthS` (a multiple of the current width), merging what they hold. */
  widen(widthS: number): void {
    if (widthS <= this.widthS) return;
    const old = [...this.buckets.entries()];
    this.buckets.clear();
    this.widthS = widthS;
    for (const [t, bucket] of old) {
      const into = this.slot(t);
      into.count += bucket.count;
      into.sumMs += bucket.sumMs;
      into.maxMs = Math.max(into.maxMs, bucket.maxMs);
      into.errors += bucket.errors;
    }
  }

  /** Adds one request that ended `atS` seconds after the start. */
  add(atS: number, wallMs: number, failed: boolean): void {
    const bucket = this.slot(atS);
    bucket.count++;
    bucket.sumMs += wallMs;
    if (wallMs > bucket.maxMs) bucket.maxMs = wallMs;
    if (failed) bucket.errors++;
  }

  /** Buckets in time order. */
  list(): SeriesBucket[] {
    return [...this.buckets.entries()]
      .sort(([a], [b]) => a - b)
      .map(([t, b]) => ({ t, count: b.count, meanMs: b.sumMs / b.count, maxMs: b.maxMs, errors: b.errors }));
  }

  private slot(atS: number): Bucket {
    const t = Math.floor(Math.max(0, atS) / this.widthS) * this.widthS;
    let bucket = this.buckets.get(t);
    if (!bucket) {
      bucket = { count: 0, sumMs: 0, maxMs: 0, errors: 0 };
      this.buckets.set(t, bucket);
    }
    return bucket;
  }
}

/** The bucket width for a watch that has run `elapsedS` seconds: 1 s, doubled until MAX_BUCKETS cover it. */
export function bucketWidthFor(elapsedS: number): number {
  let width = 1;
  while (elapsedS / width > MAX_BUCKETS) width *= 2;
  return width;
}
