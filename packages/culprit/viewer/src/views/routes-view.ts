import type { Capture, RouteStats, WatchSummary } from '../../../src/capture/types.js';
import { fmtCount, fmtMs, h, replace, text } from '../ui/dom.js';
import { hideTooltip, showTooltip } from '../ui/tooltip.js';
import { where } from './overview-view.js';
import type { View } from './view.js';

/**
 * `culprit watch` captures: the routes ranked by total time (the APM's
 * endpoint list), latency over time for the selected route (the story's
 * before/after chart), and a click-through to its slowest request's evidence
 * in the Requests tab.
 */
export function routesView(capture: Capture, openRequest: (id: number) => void): View | undefined {
  const watch = capture.watch;
  if (!watch) return undefined;
  const el = h('section', { class: 'view', attrs: { 'data-view': 'routes' } });
  let built = false;
  const show = (): void => {
    if (!built) el.append(...routesContent(watch, openRequest));
    built = true;
  };
  return { id: 'routes', label: 'Routes', el, show };
}

function routesContent(watch: WatchSummary, openRequest: (id: number) => void): HTMLElement[] {
  const detail = h('div', { class: 'route-detail' });
  const body = h('tbody');
  const select = (route: RouteStats, row: HTMLElement): void => {
    for (const tr of body.querySelectorAll('tr')) tr.classList.remove('selected');
    row.classList.add('selected');
    replace(detail, ...routeDetail(route, watch, openRequest));
  };
  watch.routes.forEach((route, i) => {
    const open = h(
      'button',
      {
        class: 'link',
        attrs: { 'data-request': String(route.example.requestId), title: 'open this request in Requests' },
        on: {
          click: (e) => {
            e.stopPropagation();
            openRequest(route.example.requestId);
          },
        },
      },
      `#${route.example.requestId}`,
    );
    const row = h(
      'tr',
      {
        attrs: { tabindex: '0', 'data-route': `${text(route.method)} ${text(route.route)}` },
        on: {
          click: () => select(route, row),
          keydown: (e) => (e as KeyboardEvent).key === 'Enter' && select(route, row),
        },
      },
      h('td', { class: 'num' }, String(i + 1)),
      h('td', { class: 'text' }, `${text(route.method)} ${text(route.route)}`),
      h('td', { class: 'num' }, fmtCount(route.count)),
      h('td', { class: 'num' }, fmtCount(route.errors)),
      h('td', { class: 'num' }, fmtMs(route.latencyMs.p50)),
      h('td', { class: 'num' }, fmtMs(route.latencyMs.p95)),
      h('td', { class: 'num' }, fmtMs(route.latencyMs.p99)),
      h('td', { class: 'num' }, fmtMs(route.totalMs)),
      h('td', { class: 'num' }, fmtMs(route.cpuMs)),
      h('td', { class: 'num' }, fmtCount(route.queries)),
      h('td', { class: 'num' }, fmtCount(route.rows)),
      h('td', { class: 'text' }, route.finding ? `${text(route.finding.severity)}: ${text(route.finding.title)}` : ''),
      h('td', {}, route.example.requestId ? open : ''),
    );
    body.appendChild(row);
    if (i === 0) select(route, row);
  });
  const head = [
    '#',
    'route',
    'count',
    'errors',
    'p50',
    'p95',
    'p99',
    'total',
    'cpu',
    'queries',
    'rows',
    'top finding',
    'example',
  ];
  const numeric = new Set([0, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  return [
    h('h2', {}, `Routes (${fmtCount(watch.routes.length)}), ranked by total time`),
    h(
      'div',
      { class: 'muted' },
      `${fmtCount(watch.requests)} requests in ${Number(watch.durationS).toFixed(1)} s · latency from HDR histograms · the top finding is the diagnose rules' over each route's slowest requests recorded in full (a sample of each route's requests; every request is counted)`,
    ),
    watch.routes.length === 0
      ? h('p', {}, 'No requests reached the server while culprit watched.')
      : h(
          'div',
          { class: 'table-wrap short' },
          h(
            'table',
            { class: 'mini routes' },
            h('thead', {}, h('tr', {}, ...head.map((c, i) => h('th', { class: numeric.has(i) ? 'num' : '' }, c)))),
            body,
          ),
        ),
    detail,
  ];
}

/** Findings come from the requests recorded in full, a sample of the route's requests under load. */
function sampledNote(route: RouteStats): string {
  const detailed = Number(route.detailed);
  if (!Number.isFinite(detailed) || route.detailed === undefined || detailed >= route.count) return '';
  return ` · sampled: from the ${fmtCount(detailed)} of ${fmtCount(route.count)} requests recorded in full`;
}

function routeDetail(route: RouteStats, watch: WatchSummary, openRequest: (id: number) => void): HTMLElement[] {
  const out: HTMLElement[] = [
    h('h3', {}, `${text(route.method)} ${text(route.route)}: latency over time`),
    latencyOverTime(route, Number(watch.bucketS) || 1),
  ];
  if (route.finding) {
    out.push(
      h(
        'p',
        {},
        h('strong', {}, `${text(route.finding.severity)}: `),
        text(route.finding.title),
        route.finding.location ? ` (${where(route.finding.location)})` : '',
        sampledNote(route),
      ),
    );
  }
  if (route.example.requestId) {
    out.push(
      h(
        'p',
        {},
        h(
          'button',
          {
            attrs: { 'data-open-request': String(route.example.requestId) },
            on: { click: () => openRequest(route.example.requestId) },
          },
          `Evidence of its slowest request (#${route.example.requestId} ${text(route.example.url)})`,
        ),
      ),
    );
  }
  if (route.example.diagnose)
    out.push(h('p', { class: 'muted' }, 'Investigate it: ', h('code', {}, text(route.example.diagnose))));
  return out;
}

/** Mean latency per bucket as a line, the bucket's slowest request as a dot, errors in red. */
function latencyOverTime(route: RouteStats, bucketS: number): HTMLElement {
  const series = route.series;
  const canvas = h('canvas', { class: 'latency-over-time', attrs: { 'aria-label': 'latency over time' } });
  const cssW = 720;
  const cssH = 180;
  const dpr = window.devicePixelRatio || 1;
  canvas.width = cssW * dpr;
  canvas.height = cssH * dpr;
  canvas.style.width = `${cssW}px`;
  canvas.style.height = `${cssH}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx || series.length === 0) return canvas;
  ctx.scale(dpr, dpr);
  const pad = { left: 56, right: 8, top: 8, bottom: 20 };
  const last = (series[series.length - 1]?.t ?? 0) + bucketS;
  const top = Math.max(...series.map((b) => Number(b.maxMs) || 0), 0.001);
  const x = (t: number): number => pad.left + (t / last) * (cssW - pad.left - pad.right);
  const y = (ms: number): number => cssH - pad.bottom - (ms / top) * (cssH - pad.top - pad.bottom);
  ctx.strokeStyle = '#8888';
  ctx.beginPath();
  ctx.moveTo(pad.left, pad.top);
  ctx.lineTo(pad.left, cssH - pad.bottom);
  ctx.lineTo(cssW - pad.right, cssH - pad.bottom);
  ctx.stroke();
  ctx.strokeStyle = 'hsl(210 60% 55%)';
  ctx.lineWidth = 2;
  ctx.beginPath();
  series.forEach((b, i) => {
    const px = x(b.t + bucketS / 2);
    const py = y(Number(b.meanMs) || 0);
    if (i === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  });
  ctx.stroke();
  for (const b of series) {
    ctx.fillStyle = b.errors ? 'hsl(0 70% 55%)' : 'hsl(30 80% 55%)';
    ctx.fillRect(x(b.t + bucketS / 2) - 2, y(Number(b.maxMs) || 0) - 2, 4, 4);
  }
  ctx.fillStyle = '#888';
  ctx.font = '10px system-ui, sans-serif';
  ctx.textAlign = 'right';
  ctx.fillText(fmtMs(top), pad.left - 4, pad.top + 8);
  ctx.fillText('0', pad.left - 4, cssH - pad.bottom);
  ctx.fillText(`${last.toFixed(0)} s`, cssW - pad.right, cssH - 4);
  ctx.textAlign = 'left';
  ctx.fillText('line: mean · dots: slowest', pad.left + 4, cssH - 4);
  canvas.addEventListener('mousemove', (e) => {
    const t = ((e.offsetX - pad.left) / (cssW - pad.left - pad.right)) * last;
    const b = series.reduce((best, s) =>
      Math.abs(s.t + bucketS / 2 - t) < Math.abs(best.t + bucketS / 2 - t) ? s : best,
    );
    showTooltip(
      [
        `${b.t.toFixed(0)}–${(b.t + bucketS).toFixed(0)} s`,
        `${fmtCount(b.count)} requests${b.errors ? `, ${fmtCount(b.errors)} errors` : ''}`,
        `mean ${fmtMs(b.meanMs)} · slowest ${fmtMs(b.maxMs)}`,
      ],
      e.clientX,
      e.clientY,
    );
  });
  canvas.addEventListener('mouseleave', hideTooltip);
  return canvas;
}
