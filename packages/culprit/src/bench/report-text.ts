import type { Int32Histogram } from 'hdr-histogram-js';
import { decodeHistogram } from './stats.js';
import { type BenchSummary, percentileMs } from './summary.js';
import { formatTimeAuto } from './time-unit.js';

const BAR = '■';
const BAR_WIDTH = 40;
const BUCKETS = 10;

/** Counts per row of hey's "Response time histogram": 11 marks from fastest to slowest, values ≤ each mark. */
export function latencyBuckets(h: Int32Histogram): { markMs: number; count: number }[] {
  if (h.totalCount === 0) return [];
  const min = h.minNonZeroValue;
  const max = h.maxValue;
  const step = (max - min) / BUCKETS;
  if (step === 0) return [{ markMs: min / 1000, count: h.totalCount }];
  const rows = Array.from({ length: BUCKETS + 1 }, (_, i) => ({ markMs: (min + step * i) / 1000, count: 0 }));
  const it = h.recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    // HDR stores a bucket of equivalent values; place it by its lowest value, clamped to the range.
    const value = Math.min(max, Math.max(min, h.lowestEquivalentValue(v.valueIteratedTo)));
    const index = Math.min(BUCKETS, Math.ceil((value - min) / step - 1e-9));
    const row = rows[index];
    if (row) row.count += v.countAtValueIteratedTo;
  }
  return rows;
}

function section(title: string, rows: string[]): string[] {
  return rows.length === 0 ? [] : [`${title}:`, ...rows, ''];
}

function pairs(rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  return rows.map(([k, v]) => `  ${`${k}:`.padEnd(width)}${v}`);
}

/**
 * hey's report, section by section in hey's order, with three changes: each
 * time in a unit that fits it (µs/ms/s) instead of `0.0003 secs`, exact
 * percentiles at small n, and p99.9 plus the max in Latency distribution.
 */
export function renderTextReport(s: BenchSummary, histogram: Int32Histogram = decodeHistogram(s.histogram)): string {
  const t = formatTimeAuto;
  const lines: string[] = ['', 'Summary:'];
  lines.push(
    ...pairs([
      ['Total', `${s.durationS.toFixed(4)} secs`],
      ['Slowest', t(s.latencyMs.max)],
      ['Fastest', t(s.latencyMs.min)],
      ['Average', t(s.latencyMs.mean)],
      ['Requests/sec', s.rps.toFixed(4)],
    ]),
    '',
    ...pairs([
      ['Total data', `${s.bytes} bytes`],
      ['Size/request', `${s.requests === 0 ? 0 : Math.round(s.bytes / s.requests)} bytes`],
    ]),
  );
  if (s.rate !== null) lines.push(...pairs([['Late sends', `${s.lateSends} (of a target ${s.rate} req/s in total)`]]));
  lines.push('');
  const buckets = latencyBuckets(histogram);
  const top = Math.max(1, ...buckets.map((b) => b.count));
  const markWidth = Math.max(0, ...buckets.map((b) => t(b.markMs).length));
  const countWidth = Math.max(0, ...buckets.map((b) => String(b.count).length));
  lines.push(
    ...section(
      'Response time histogram',
      buckets.map(
        (b) =>
          `  ${t(b.markMs).padStart(markWidth)} [${String(b.count).padStart(countWidth)}]\t|${BAR.repeat(Math.round((b.count / top) * BAR_WIDTH))}`,
      ),
    ),
  );
  if (s.requests > 0) {
    const l = s.latencyMs;
    const rows: [string, number][] = [
      ['10%', percentileMs(histogram, 10)],
      ['25%', percentileMs(histogram, 25)],
      ['50%', l.p50],
      ['75%', l.p75],
      ['90%', l.p90],
      ['95%', l.p95],
      ['99%', l.p99],
      ['99.9%', l.p999],
      ['max', l.max],
    ];
    lines.push(
      ...section(
        'Latency distribution',
        rows.map(([p, ms]) => `  ${p.padStart(5)} in ${t(ms)}`),
      ),
    );
    const d = s.details;
    const detailRow = (name: string, phase: BenchSummary['details']['dial']): [string, string] => [
      name,
      `${t(phase.meanMs)}, ${t(phase.minMs)}, ${t(phase.maxMs)}`,
    ];
    lines.push(
      'Details (average, fastest, slowest):',
      ...pairs([
        detailRow('DNS+dialup', d.dial),
        detailRow('DNS-lookup', d.dns),
        detailRow('req write', d.write),
        detailRow('resp wait', d.wait),
        detailRow('resp read', d.read),
      ]),
      '',
    );
  }
  const codes = Object.entries(s.statusCodes).sort(([a], [b]) => Number(a) - Number(b));
  lines.push(
    ...section(
      'Status code distribution',
      codes.map(([code, n]) => `  [${code}]\t${n} responses`),
    ),
  );
  const kinds = Object.entries(s.errorKinds).sort(([, a], [, b]) => b - a);
  lines.push(
    ...section(
      'Error distribution',
      kinds.map(([kind, n]) => `  [${n}]\t${kind}`),
    ),
  );
  return `${lines.join('\n')}\n`;
}
