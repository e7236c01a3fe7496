import type { Capture, Finding, SourceLocation } from '../../../src/capture/types.js';
import type { ProfileModel } from '../model/profile-model.js';
import { fmtCount, fmtMs, fmtPct, h, text } from '../ui/dom.js';
import type { Store } from '../ui/store.js';
import type { View } from './view.js';

const severityRank = { critical: 0, warning: 1, info: 2 } as const;

export function where(loc: SourceLocation | undefined): string {
  if (!loc) return '';
  return `${text(loc.file)}:${text(loc.line)}${loc.functionName ? ` (${text(loc.functionName)})` : ''}`;
}

/**
 * The first thing on screen: findings with evidence and source, then notes
 * about the capture, then the hottest functions and constructions, so the
 * clue is visible before any chart is opened.
 */
export function overviewView(
  capture: Capture,
  model: ProfileModel | undefined,
  store: Store,
  open: (view: string) => void,
  showInWaterfall?: (location: SourceLocation, endpoint?: string, lines?: number[]) => void,
): View {
  // diagnose ranks them (causes before unexplained symptoms); older captures come unranked
  const ranked = (capture.findings ?? []).every((f) => typeof f.savesMs === 'number');
  const findings = ranked
    ? [...(capture.findings ?? [])]
    : [...(capture.findings ?? [])].sort(
        (a, b) => (severityRank[a.severity] ?? 3) - (severityRank[b.severity] ?? 3) || b.impact - a.impact,
      );
  const showInProfile = (loc: SourceLocation | undefined): HTMLElement | null => {
    if (!model || !loc) return null;
    const fn = model.functions.findIndex((f) => f.file === loc.file && f.line === loc.line);
    if (fn < 0) return null;
    return h(
      'button',
      {
        on: {
          click: () => {
            store.select(fn);
            open('sandwich');
          },
        },
      },
      'show in profile',
    );
  };
  const el = h(
    'section',
    { class: 'view overview', attrs: { 'data-view': 'overview' } },
    (capture.notes ?? []).length > 0
      ? h('div', { class: 'notes' }, ...(capture.notes ?? []).map((note) => h('p', { class: 'note' }, text(note))))
      : null,
    h('h2', {}, findings.length > 0 ? `Findings (${findings.length})` : 'Findings'),
    ...(capture.totals ?? []).map((t) =>
      h(
        'p',
        { class: 'totals' },
        `${text(t.endpoint)} → ${Number(t.status)} · ${fmtMs(Number(t.wallMs) || 0)} (CPU ${fmtMs(Number(t.cpuMs) || 0)}) · ${fmtCount(Number(t.queries) || 0)} queries, ${fmtCount(Number(t.rows) || 0)} rows · ${fmtCount(Number(t.items) || 0)} items · the findings explain ${fmtPct(Math.min(1, Number(t.explainedShare) || 0))} of its time`,
      ),
    ),
    findings.length === 0
      ? h('p', { class: 'muted' }, 'No findings in this capture (run culprit diagnose to add them).')
      : null,
    ...findings.map((f) => findingCard(f, showInProfile(f.location), waterfallLink(f, showInWaterfall))),
    hotSpots(capture, model),
  );
  return { id: 'overview', label: 'Findings', el, show: () => undefined };
}

/** Rules about operations on the request's time axis: their rows are in the waterfall. */
const TIMELINE_RULES = new Set([
  'n-plus-one',
  'duplicate-queries',
  'slow-query',
  'http-n-plus-one',
  'redis-n-plus-one',
  'sequential-awaits',
  'http-retries',
  'slow-downstream',
  'event-loop-blocking',
]);

function waterfallLink(
  f: Finding,
  showInWaterfall: ((location: SourceLocation, endpoint?: string, lines?: number[]) => void) | undefined,
): HTMLElement | null {
  const location = f.location;
  if (!showInWaterfall || !location || !TIMELINE_RULES.has(f.rule)) return null;
  return h(
    'button',
    { class: 'to-waterfall', on: { click: () => showInWaterfall(location, f.endpoint, f.relatedLines) } },
    'show in waterfall',
  );
}

function findingCard(f: Finding, link: HTMLElement | null, waterfall: HTMLElement | null = null): HTMLElement {
  return h(
    'article',
    { class: `finding ${text(f.severity)}` },
    h(
      'div',
      { class: 'finding-head' },
      h('span', { class: 'badge' }, text(f.severity)),
      h('strong', {}, text(f.title)),
    ),
    h('div', { class: 'muted' }, `rule ${text(f.rule)} · ${savings(f)}`),
    f.location
      ? h('div', { class: 'location' }, where(f.location), ' ', link, ' ', waterfall)
      : f.noAppLine
        ? h('div', { class: 'location muted' }, `no app line: ${text(f.noAppLine)}`)
        : null,
    ...(f.explains ?? []).map((symptom) => h('div', { class: 'muted' }, `explains: ${text(symptom)}`)),
    h(
      'dl',
      { class: 'evidence' },
      ...(f.evidence ?? []).flatMap((e) => [h('dt', {}, text(e.label)), h('dd', {}, text(e.value))]),
    ),
    f.snippet ? snippet(f.snippet, f.location?.line) : null,
    f.suggestion ? h('p', { class: 'suggestion' }, text(f.suggestion)) : null,
  );
}

/**
 * What fixing it would save, per finding: the figures overlap (two findings
 * may describe the same milliseconds), so they are never summed here; the
 * totals line gives the capped share all findings explain.
 */
function savings(f: Finding): string {
  const share = fmtPct(Math.min(1, Math.max(0, Number(f.impact) || 0)));
  return typeof f.savesMs === 'number'
    ? `a fix would save ~${fmtMs(f.savesMs)} per request (${share} of its time)`
    : `about ${share} of request time`;
}

/** Source lines with numbers; the finding's line marked. */
export function snippet(s: { startLine: number; lines: string[] }, mark: number | undefined): HTMLElement {
  return h(
    'pre',
    { class: 'snippet' },
    ...(s.lines ?? []).map((line, i) => {
      const n = Number(s.startLine) + i;
      return h(
        'div',
        { class: n === mark ? 'mark' : '' },
        h('span', { class: 'ln' }, String(n).padStart(5)),
        ` ${text(line)}`,
      );
    }),
  );
}

function hotSpots(capture: Capture, model: ProfileModel | undefined): HTMLElement {
  const byClass = new Map<string, number>();
  for (const r of capture.requests)
    for (const c of r.constructions ?? [])
      byClass.set(text(c.className), (byClass.get(text(c.className)) ?? 0) + c.count);
  const classes = [...byClass].sort((a, b) => b[1] - a[1]).slice(0, 5);
  const hot = model
    ? model.functions
        .map((f, i) => ({ f, i }))
        .filter(({ f }) => f.category !== 'root' && f.category !== 'idle')
        .sort((a, b) => b.f.selfMs - a.f.selfMs)
        .slice(0, 8)
    : [];
  return h(
    'div',
    { class: 'hotspots' },
    hot.length > 0 ? h('h2', {}, 'Most self time') : null,
    hot.length > 0
      ? h(
          'table',
          { class: 'mini' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, 'function'),
              h('th', {}, 'self'),
              h('th', {}, 'share'),
              h('th', {}, 'calls'),
              h('th', {}, 'location'),
            ),
          ),
          h(
            'tbody',
            {},
            ...hot.map(({ f }) =>
              h(
                'tr',
                {},
                h('td', {}, text(f.name)),
                h('td', { class: 'num' }, fmtMs(f.selfMs)),
                h('td', { class: 'num' }, fmtPct(f.selfMs / (model?.totalMs || 1))),
                h('td', { class: 'num' }, fmtCount(f.calls)),
                h('td', { class: 'text' }, f.file ? `${text(f.file)}:${f.line}` : ''),
              ),
            ),
          ),
        )
      : null,
    classes.length > 0 ? h('h2', {}, 'Most constructed classes (all requests)') : null,
    classes.length > 0
      ? h(
          'table',
          { class: 'mini' },
          h(
            'tbody',
            {},
            ...classes.map(([name, count]) =>
              h('tr', {}, h('td', {}, name), h('td', { class: 'num' }, fmtCount(count))),
            ),
          ),
        )
      : null,
  );
}
