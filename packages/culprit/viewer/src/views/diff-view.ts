import type { Capture } from '../../../src/capture/types.js';
import { FrameChart } from '../charts/frame-chart.js';
import { buildDiff, type DiffModel } from '../model/diff.js';
import { locationOf } from '../model/profile-model.js';
import { diffColor } from '../ui/colors.js';
import { fmtCount, fmtMs, h, replace, text } from '../ui/dom.js';
import { compareSummary } from './compare-summary.js';
import type { View } from './view.js';

const signed = (ms: number): string => `${ms > 0 ? '+' : ''}${fmtMs(ms)}`;

/**
 * Differential flame graph: frames merged by call path across the two
 * captures, widths from one side, colour from the change per request (red
 * grew, blue shrank). Then the functions that changed most.
 */
export function diffView(before: Capture, after: Capture): View {
  let shape: 'before' | 'after' = 'before';
  let model: DiffModel | undefined = buildDiff(before, after, shape);
  if (!model) {
    const el = h(
      'section',
      { class: 'view', attrs: { 'data-view': 'diff' } },
      h('h2', {}, 'Before → after'),
      compareSummary(before, after),
      h('p', { class: 'muted' }, 'No flame-graph diff: both captures need a profile (culprit profile --save).'),
    );
    return { id: 'diff', label: 'Diff', el, show: () => undefined };
  }
  const m = (): DiffModel => model!;
  const chart = new FrameChart(m().tree, {
    flip: true,
    // Relative change per frame: a frame that vanished is deep blue, a new one deep red, whatever its size.
    color: (node) => {
      const b = m().before[node]!;
      const a = m().after[node]!;
      return diffColor((a - b) / (Math.max(a, b) || 1));
    },
    label: (node) => {
      const d = m().after[node]! - m().before[node]!;
      return `${text(m().functions[m().tree.fn[node]!]?.name)} ${signed(d)}`;
    },
    tooltip: (node) => {
      const f = m().functions[m().tree.fn[node]!];
      const b = m().before[node]!;
      const a = m().after[node]!;
      return [
        text(f?.name),
        text(locationOf(f)) || '(no source location)',
        `before ${fmtMs(b)} per request`,
        `after ${fmtMs(a)} per request`,
        `change ${signed(a - b)}${b > 0 ? ` (${((a / b - 1) * 100).toFixed(0)}%)` : ' (new)'}`,
      ];
    },
  });
  const toggle = h(
    'select',
    {
      attrs: { 'aria-label': 'shape by', name: 'shape' },
      on: {
        change: () => {
          shape = toggle.value === 'after' ? 'after' : 'before';
          model = buildDiff(before, after, shape);
          chart.setTree(m().tree);
          chart.zoomTo(0);
        },
      },
    },
    h('option', { attrs: { value: 'before' } }, 'widths: before'),
    h('option', { attrs: { value: 'after' } }, 'widths: after'),
  );
  const rows = h('tbody');
  const totals = (which: 'before' | 'after'): number => (which === 'before' ? m().before[0]! : m().after[0]!);
  replace(
    rows,
    ...[...m().rows]
      .sort((a, b) => Math.abs(b.totalAfter - b.totalBefore) - Math.abs(a.totalAfter - a.totalBefore))
      .slice(0, 200)
      .map((r) => {
        const f = m().functions[r.fn];
        return h(
          'tr',
          {},
          h('td', { class: 'text' }, text(f?.name)),
          h('td', { class: 'num' }, fmtMs(r.totalBefore)),
          h('td', { class: 'num' }, fmtMs(r.totalAfter)),
          h(
            'td',
            { class: `num ${r.totalAfter > r.totalBefore ? 'worse' : 'better'}` },
            signed(r.totalAfter - r.totalBefore),
          ),
          h('td', { class: 'num' }, fmtCount(r.callsBefore)),
          h('td', { class: 'num' }, fmtCount(r.callsAfter)),
          h('td', { class: 'text' }, text(locationOf(f))),
        );
      }),
  );
  const tb = totals('before');
  const ta = totals('after');
  const el = h(
    'section',
    { class: 'view', attrs: { 'data-view': 'diff' } },
    compareSummary(before, after),
    h(
      'h2',
      {},
      `Before ${fmtMs(tb)} → after ${fmtMs(ta)} per request (${tb > 0 ? `${(tb / (ta || 1)).toFixed(2)}× ${ta <= tb ? 'faster' : 'slower'}` : 'n/a'})`,
    ),
    h(
      'div',
      { class: 'view-head controls' },
      toggle,
      h('span', { class: 'hint' }, 'red: more time after, blue: less; click to zoom, Esc to go back'),
    ),
    chart.el,
    h('h3', {}, 'Functions that changed most (inclusive ms per request)'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'mini diff-functions' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['function', 'before', 'after', 'change', 'calls before', 'calls after', 'location'].map((c) =>
              h('th', {}, c),
            ),
          ),
        ),
        rows,
      ),
    ),
  );
  return { id: 'diff', label: 'Diff', el, show: () => chart.redraw() };
}
