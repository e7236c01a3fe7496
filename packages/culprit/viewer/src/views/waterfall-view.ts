/**
 * The waterfall: one request's queries, HTTP calls, Redis round trips and
 * blocking stretches as bars on its time axis, grouped by the app line that
 * issued them (timeline/operations.ts, shared with `trace --timeline`).
 * Hover gives the statement, figures and stack; findings link here and mark
 * the rows of their line. Everything from the capture is set as text.
 */
import type { Capture, RequestRecord, SourceLocation } from '../../../src/capture/types.js';
import { groupByLine, type TimelineEntry, timelineEntries, untimed } from '../../../src/timeline/operations.js';
import { fmtMs, h, replace, text } from '../ui/dom.js';
import { hideTooltip, showTooltip } from '../ui/tooltip.js';
import { where } from './overview-view.js';
import type { View } from './view.js';

/** Rows drawn per request at most (a 2,000-query loop reads as its group's count past this). */
const ROWS_SHOWN = 600;
/** How far below a finding's line (a loop's header) the rows it speaks of may be issued. */
const LOOP_BODY_LINES = 8;

export interface WaterfallView extends View {
  /** Opens the waterfall on the endpoint's typical request and marks the rows issued at (or in the loop of) `location`. */
  focus(location: SourceLocation, endpoint?: string, lines?: number[]): void;
}

interface Marked {
  at: SourceLocation;
  /** Further lines of the same file (a sequence's other awaits). */
  lines: number[];
}

/** Requests that have anything on their time axis. */
export function hasTimeline(capture: Capture): boolean {
  return capture.requests.some((r) => timelineEntries(r).length > 0);
}

function typical(requests: readonly RequestRecord[], endpoint?: string): RequestRecord | undefined {
  const of = requests.filter((r) => !endpoint || `${r.method} ${r.url.split('?')[0]}` === endpoint);
  const pool = of.length > 0 ? of : requests;
  const sorted = [...pool].sort((a, b) => a.wallMs - b.wallMs);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function frames(entry: TimelineEntry): SourceLocation[] {
  return [...(entry.location ? [entry.location] : []), ...(entry.stack ?? [])];
}

/**
 * The rows a finding at `at` speaks of: those issued at its line, else (a
 * loop's header names no call itself) those issued in the lines below it.
 */
function rowsOf(entries: readonly TimelineEntry[], marked: Marked | undefined): Set<TimelineEntry> {
  if (!marked) return new Set();
  const { at, lines } = marked;
  const mine = (entry: TimelineEntry) => frames(entry).filter((f) => f.file === at.file);
  const exact = entries.filter((entry) => mine(entry).some((f) => f.line === at.line || lines.includes(f.line)));
  if (exact.length > 0) return new Set(exact);
  return new Set(
    entries.filter((entry) => mine(entry).some((f) => f.line > at.line && f.line <= at.line + LOOP_BODY_LINES)),
  );
}

function tooltipLines(entry: TimelineEntry): string[] {
  const lines = [
    text(entry.label).slice(0, 300),
    `${entry.kind} · starts at +${fmtMs(entry.startMs)} · takes ${fmtMs(entry.durationMs)}`,
    text(entry.detail),
  ];
  if (entry.error) lines.push(`error: ${text(entry.error).slice(0, 200)}`);
  const stack = entry.stack ?? (entry.location ? [entry.location] : []);
  for (const frame of stack.slice(0, 8)) lines.push(`  at ${where(frame)}`);
  return lines;
}

function row(entry: TimelineEntry, wallMs: number, mark: boolean): HTMLElement {
  const span = Math.max(wallMs, entry.startMs + entry.durationMs, 1e-9);
  const left = (entry.startMs / span) * 100;
  const width = Math.max((entry.durationMs / span) * 100, 0.3);
  const bar = h('div', { class: `wf-bar wf-${entry.kind}` });
  // through the CSSOM: the report's CSP allows no inline style attributes
  bar.style.left = `${left.toFixed(3)}%`;
  bar.style.width = `${width.toFixed(3)}%`;
  return h(
    'div',
    {
      class: `wf-row${mark ? ' wf-marked' : ''}`,
      attrs: { 'data-kind': entry.kind, 'data-start': entry.startMs.toFixed(3) },
      on: {
        mousemove: (e) => showTooltip(tooltipLines(entry), (e as MouseEvent).clientX, (e as MouseEvent).clientY),
        mouseleave: () => hideTooltip(),
      },
    },
    h('span', { class: `wf-kind wf-${entry.kind}` }, entry.kind),
    h('span', { class: 'wf-label', title: text(entry.label) }, text(entry.label)),
    h('span', { class: 'wf-time num' }, `+${fmtMs(entry.startMs)}`),
    h('div', { class: 'wf-track' }, bar),
  );
}

function requestWaterfall(request: RequestRecord, marked: Marked | undefined): HTMLElement[] {
  const entries = timelineEntries(request);
  const out: HTMLElement[] = [
    h(
      'p',
      { class: 'muted wf-summary' },
      `${text(request.method)} ${text(request.url)} · ${fmtMs(request.wallMs)} · ${entries.length} operations on the axis`,
    ),
  ];
  if (entries.length === 0) {
    out.push(
      h(
        'p',
        { class: 'muted' },
        'Nothing on this request’s time axis (no query, HTTP call, Redis command or blocking stretch).',
      ),
    );
    return out;
  }
  const body = h('div', { class: 'wf' });
  const marks = rowsOf(entries, marked);
  let drawn = 0;
  for (const group of groupByLine(entries)) {
    const title =
      group.line === '(blocking)' ? 'event loop blocked' : group.location ? where(group.location) : '(no app frame)';
    const rows = group.entries.slice(0, Math.max(0, ROWS_SHOWN - drawn));
    drawn += rows.length;
    const hidden = group.entries.length - rows.length;
    body.appendChild(
      h(
        'div',
        { class: 'wf-group', attrs: { 'data-line': group.line } },
        h('div', { class: 'wf-group-head' }, title, h('span', { class: 'muted' }, ` · ${group.entries.length}`)),
        ...rows.map((entry) => row(entry, request.wallMs, marks.has(entry))),
        hidden > 0 ? h('div', { class: 'muted' }, `${hidden} more rows not drawn`) : null,
      ),
    );
  }
  out.push(body);
  const rest = untimed(request);
  if (rest > 0)
    out.push(h('p', { class: 'muted' }, `${rest} more operations were counted without a place on the axis.`));
  return out;
}

export function waterfallView(capture: Capture): WaterfallView {
  const el = h('section', { class: 'view waterfall', attrs: { 'data-view': 'waterfall' } });
  const select = h('select', { attrs: { 'aria-label': 'request' } });
  const content = h('div', {});
  const requests = capture.requests.filter((r) => timelineEntries(r).length > 0);
  for (const r of requests)
    select.appendChild(
      h('option', { attrs: { value: String(r.id) } }, `#${r.id} ${text(r.method)} ${text(r.url)} · ${fmtMs(r.wallMs)}`),
    );
  let marked: Marked | undefined;
  const draw = (): void => {
    const request = requests.find((r) => String(r.id) === select.value) ?? requests[0];
    if (request) replace(content, ...requestWaterfall(request, marked));
  };
  select.addEventListener('change', () => {
    marked = undefined;
    draw();
  });
  el.append(
    h('h2', {}, 'Waterfall'),
    h(
      'p',
      { class: 'muted' },
      'one row per query, HTTP call, Redis round trip and blocking stretch, grouped by the app line that issued it · hover for details',
    ),
    h('label', {}, 'request ', select),
    content,
  );
  const first = typical(requests);
  if (first) select.value = String(first.id);
  let built = false;
  return {
    id: 'waterfall',
    label: 'Waterfall',
    el,
    show: () => {
      if (!built) draw();
      built = true;
    },
    focus: (location, endpoint, lines = []) => {
      const request = typical(requests, endpoint);
      if (request) select.value = String(request.id);
      marked = { at: location, lines };
      draw();
      built = true;
      el.querySelector('.wf-marked')?.scrollIntoView({ block: 'center' });
    },
  };
}
