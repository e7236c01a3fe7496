import { queryGroups, queryTotals } from '../../../src/capture/query-totals.js';
import type { BenchSummary, Capture, RequestRecord } from '../../../src/capture/types.js';
import { fmtCount, fmtMs, h, replace, text } from '../ui/dom.js';
import { latencyHistogram } from './latency-histogram.js';
import { where } from './overview-view.js';
import type { View } from './view.js';

/** Rows of "Queries in order" drawn at most: past this a list is read by shape, and the DOM would crawl. */
const QUERY_ROWS_SHOWN = 1_000;

function table(head: string[], rows: Array<Array<string | number>>, numeric: boolean[] = []): HTMLElement {
  // Rows are appended one by one: spreading 100,000 of them as arguments overflows the stack.
  const body = h('tbody');
  for (const r of rows)
    body.appendChild(h('tr', {}, ...r.map((c, i) => h('td', { class: numeric[i] ? 'num' : 'text' }, String(c)))));
  return h(
    'table',
    { class: 'mini' },
    h('thead', {}, h('tr', {}, ...head.map((c, i) => h('th', { class: numeric[i] ? 'num' : '' }, c)))),
    body,
  );
}

/** Per request: time, status, queries (grouped by normalized SQL, then each), constructions per class; then the bench. */
export function requestsView(
  capture: Capture,
  quantiles: number[] | undefined,
): View & { selectRequest(id: number): void } {
  const el = h('section', { class: 'view', attrs: { 'data-view': 'requests' } });
  const rows = new Map<number, () => void>();
  let built = false;
  // Built on first show: the page opens on findings or a chart, and a capture may hold many requests.
  const show = (): void => {
    if (!built) el.append(...requestsContent(capture, quantiles, rows));
    built = true;
  };
  /** Shows request `id`'s evidence (the Routes view's click-through); the caller shows this tab. */
  const selectRequest = (id: number): void => {
    show();
    rows.get(id)?.();
  };
  return { id: 'requests', label: 'Requests', el, show, selectRequest };
}

function requestsContent(
  capture: Capture,
  quantiles: number[] | undefined,
  selectors: Map<number, () => void>,
): HTMLElement[] {
  const detail = h('div', { class: 'request-detail' });
  const list = h('tbody');
  const select = (r: RequestRecord, row: HTMLElement): void => {
    for (const tr of list.querySelectorAll('tr')) tr.classList.remove('selected');
    row.classList.add('selected');
    replace(detail, ...requestDetail(r));
  };
  capture.requests.forEach((r, i) => {
    const queries = queryTotals({ queries: r.queries ?? [], foldedQueries: r.foldedQueries ?? [] });
    const row = h(
      'tr',
      {
        attrs: { tabindex: '0' },
        on: { click: () => select(r, row), keydown: (e) => (e as KeyboardEvent).key === 'Enter' && select(r, row) },
      },
      h('td', { class: 'num' }, String(r.id)),
      h('td', { class: 'text' }, `${text(r.method)} ${text(r.url)}`),
      h('td', { class: 'num' }, text(r.status)),
      h('td', { class: 'num' }, fmtMs(r.wallMs)),
      h('td', { class: 'num' }, fmtMs(r.cpuMs)),
      h('td', { class: 'num' }, fmtCount(queries.count)),
      h('td', { class: 'num' }, fmtMs(queries.durationMs)),
      h('td', { class: 'num' }, fmtCount(queries.rows)),
      h('td', { class: 'num' }, fmtCount((r.constructions ?? []).reduce((s, c) => s + c.count, 0))),
    );
    list.appendChild(row);
    selectors.set(r.id, () => {
      select(r, row);
      row.scrollIntoView({ block: 'nearest' });
    });
    if (i === 0) select(r, row);
  });
  return [
    capture.bench ? benchSection(capture.bench, quantiles) : null,
    h('h2', {}, `Requests (${capture.requests.length})`),
    h(
      'div',
      { class: 'table-wrap short' },
      h(
        'table',
        { class: 'mini requests' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['#', 'request', 'status', 'wall', 'cpu', 'queries', 'query time', 'rows', 'constructions'].map((c) =>
              h('th', {}, c),
            ),
          ),
        ),
        list,
      ),
    ),
    detail,
  ].filter((node): node is HTMLElement => node !== null);
}

function requestDetail(r: RequestRecord): HTMLElement[] {
  const withQueries = { queries: r.queries ?? [], foldedQueries: r.foldedQueries ?? [] };
  const queries = withQueries.queries;
  const totals = queryTotals(withQueries);
  const groups = new Map<string, { count: number; ms: number; rows: number; where: string }>();
  for (const q of queryGroups(withQueries)) {
    const g = groups.get(text(q.sql)) ?? { count: 0, ms: 0, rows: 0, where: where(q.location) };
    g.count += q.count;
    g.ms += q.durationMs || 0;
    g.rows += q.rows;
    groups.set(text(q.sql), g);
  }
  const grouped = [...groups].sort((a, b) => b[1].ms - a[1].ms);
  const out: HTMLElement[] = [
    h('h3', {}, `#${r.id} ${text(r.method)} ${text(r.url)} → ${text(r.status)} in ${fmtMs(r.wallMs)}`),
    h(
      'div',
      { class: 'muted' },
      `cpu ${fmtMs(r.cpuMs)} · ${fmtCount(r.bytes)} bytes${r.items !== undefined ? ` · ${fmtCount(r.items)} items` : ''}${r.blockingMs !== undefined ? ` · longest block ${fmtMs(r.blockingMs)}` : ''}`,
    ),
  ];
  if (r.error) out.push(h('p', { class: 'error' }, text(r.error)));
  out.push(h('h3', {}, `Queries by shape (${fmtCount(groups.size)} shapes, ${fmtCount(totals.count)} queries)`));
  out.push(
    table(
      ['count', 'total', 'rows', 'normalized SQL', 'issued at'],
      grouped.map(([sql, g]) => [fmtCount(g.count), fmtMs(g.ms), fmtCount(g.rows), sql, g.where]),
      [true, true, true],
    ),
  );
  out.push(h('h3', {}, 'Queries in order'));
  const shown = Math.min(queries.length, QUERY_ROWS_SHOWN);
  const hidden = totals.count - shown;
  if (hidden > 0) {
    const why = totals.folded
      ? `the probe kept the first ${fmtCount(queries.length)} one by one and counted the other ${fmtCount(totals.folded)} by shape and line`
      : `the other ${fmtCount(queries.length - shown)} are counted in the table above`;
    out.push(h('p', { class: 'muted' }, `The first ${fmtCount(shown)} of ${fmtCount(totals.count)} queries: ${why}.`));
  }
  out.push(
    table(
      ['#', 'driver', 'duration', 'rows', 'SQL', 'issued at'],
      queries
        .slice(0, shown)
        .map((q, i) => [
          i + 1,
          text(q.driver),
          fmtMs(q.durationMs),
          q.rows === null ? '–' : fmtCount(q.rows),
          text(q.sql),
          where(q.location),
        ]),
      [true, false, true, true],
    ),
  );
  const cons = [...(r.constructions ?? [])].sort((a, b) => b.count - a.count);
  out.push(h('h3', {}, `Constructions per class (${cons.length})`));
  out.push(
    table(
      ['class', 'count', 'defined at'],
      cons.map((c) => [text(c.className), fmtCount(c.count), where(c.location)]),
      [false, true],
    ),
  );
  return out;
}

function benchSection(b: BenchSummary, quantiles: number[] | undefined): HTMLElement {
  const l = b.latencyMs;
  return h(
    'div',
    { class: 'bench' },
    h('h2', {}, `Load run: ${text(b.url)}`),
    h(
      'div',
      { class: 'muted' },
      `${fmtCount(b.requests)} requests in ${Number(b.durationS).toFixed(2)} s · ${Number(b.rps).toFixed(1)} req/s · ${fmtCount(b.errors)} errors`,
    ),
    table(
      ['min', 'mean', 'p50', 'p75', 'p90', 'p95', 'p99', 'p99.9', 'max'],
      [[l.min, l.mean, l.p50, l.p75, l.p90, l.p95, l.p99, l.p999, l.max].map((v) => fmtMs(v))],
      Array(9).fill(true),
    ),
    quantiles ? latencyHistogram(quantiles) : null,
    h(
      'div',
      { class: 'muted' },
      `status codes: ${
        Object.entries(b.statusCodes ?? {})
          .map(([k, v]) => `${text(k)} × ${fmtCount(v)}`)
          .join(', ') || 'none'
      }`,
    ),
  );
}
