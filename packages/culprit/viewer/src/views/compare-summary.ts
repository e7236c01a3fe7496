import { queryTotals } from '../../../src/capture/query-totals.js';
import type { Capture } from '../../../src/capture/types.js';
import { fmtCount, fmtMs, h } from '../ui/dom.js';

type Row = [label: string, before: number | undefined, after: number | undefined, format: (v: number) => string];

function perRequest(c: Capture, pick: (r: Capture['requests'][number]) => number): number | undefined {
  if (c.requests.length === 0) return undefined;
  return c.requests.reduce((sum, r) => sum + pick(r), 0) / c.requests.length;
}

/**
 * Before/after at a glance: per-request wall time, CPU, queries, rows and
 * objects built, and the load run's latencies when both captures have one.
 */
export function compareSummary(before: Capture, after: Capture): HTMLElement {
  const rows: Row[] = [
    ['wall time per request', perRequest(before, (r) => r.wallMs), perRequest(after, (r) => r.wallMs), fmtMs],
    ['CPU per request', perRequest(before, (r) => r.cpuMs), perRequest(after, (r) => r.cpuMs), fmtMs],
    [
      'queries per request',
      perRequest(before, (r) => queryTotals(r).count),
      perRequest(after, (r) => queryTotals(r).count),
      fmtCount,
    ],
    [
      'rows per request',
      perRequest(before, (r) => queryTotals(r).rows),
      perRequest(after, (r) => queryTotals(r).rows),
      fmtCount,
    ],
    [
      'objects built per request',
      perRequest(before, (r) => r.constructions.reduce((s, c) => s + c.count, 0)),
      perRequest(after, (r) => r.constructions.reduce((s, c) => s + c.count, 0)),
      fmtCount,
    ],
  ];
  if (before.bench && after.bench) {
    const b = before.bench.latencyMs;
    const a = after.bench.latencyMs;
    rows.push(
      ['load run p50', b.p50, a.p50, fmtMs],
      ['load run p90', b.p90, a.p90, fmtMs],
      ['load run p99', b.p99, a.p99, fmtMs],
    );
    rows.push(['load run requests/s', before.bench.rps, after.bench.rps, (v) => v.toFixed(1)]);
  }
  const shown = rows.filter(([, b, a]) => b !== undefined || a !== undefined);
  return h(
    'table',
    { class: 'mini compare' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, ''),
        h('th', { class: 'num' }, 'before'),
        h('th', { class: 'num' }, 'after'),
        h('th', { class: 'num' }, 'before ÷ after'),
      ),
    ),
    h(
      'tbody',
      {},
      ...shown.map(([label, b, a, format]) =>
        h(
          'tr',
          {},
          h('td', {}, label),
          h('td', { class: 'num' }, b === undefined ? '–' : format(b)),
          h('td', { class: 'num' }, a === undefined ? '–' : format(a)),
          h('td', { class: 'num' }, b !== undefined && a !== undefined && a > 0 ? `${(b / a).toFixed(2)}×` : '–'),
        ),
      ),
    ),
  );
}
