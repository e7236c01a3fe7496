import { FrameChart } from '../charts/frame-chart.js';
import { buildSandwich } from '../model/derived-trees.js';
import { buildFlatTree, type FlatTree } from '../model/flat-tree.js';
import { locationOf, type ProfileModel } from '../model/profile-model.js';
import { frameColor } from '../ui/colors.js';
import { fmtCount, fmtMs, fmtPct, h, replace, text } from '../ui/dom.js';
import type { Store } from '../ui/store.js';
import { frameLabel, frameTooltip } from './frame-text.js';
import type { View } from './view.js';

/**
 * Sandwich (speedscope): the selected function in the middle, who calls it
 * above (a flame growing upwards), what it calls below, merged over every
 * call site; recursion counted once.
 */
export function sandwichView(model: ProfileModel, store: Store): View {
  const { functions } = model;
  const head = h('div', { class: 'sandwich-head' });
  const makeChart = (flip: boolean, get: () => FlatTree): FrameChart =>
    new FrameChart(get(), {
      flip,
      color: (node) => frameColor(functions[get().fn[node]!]),
      label: (node) => frameLabel(functions, get(), node),
      tooltip: (node) => frameTooltip(functions, get(), node, model.requestCount),
      onSelect: (node) => {
        const fn = get().fn[node]!;
        if (node !== 0) store.select(fn);
      },
    });
  // Built on first show, for the selected function only.
  let current = { callers: emptyTree(), callees: emptyTree() };
  const callers = makeChart(true, () => current.callers);
  const callees = makeChart(false, () => current.callees);
  let shownFn = -2;
  const refresh = (): void => {
    const fn = store.state.selectedFn >= 0 ? store.state.selectedFn : heaviestSelf(model);
    if (fn === shownFn) return;
    shownFn = fn;
    current = buildSandwich(model, fn);
    callers.setTree(current.callers);
    callees.setTree(current.callees);
    const f = functions[fn];
    const total = current.callees.total[0]!;
    replace(
      head,
      h('h2', {}, text(f?.name)),
      h('div', { class: 'muted' }, text(locationOf(f)) || '(no source location)'),
      h(
        'div',
        { class: 'stats' },
        `total ${fmtMs(total)} (${fmtPct(total / (model.totalMs || 1))}) · self ${fmtMs(f?.selfMs ?? 0)} · calls ${fmtCount(f?.calls)}`,
      ),
      store.state.selectedFn < 0
        ? h(
            'div',
            { class: 'hint' },
            'showing the function with the most self time; click any frame or table row to choose',
          )
        : null,
    );
  };
  store.subscribe(() => {
    if (!el.hidden) refresh();
  });
  const el = h(
    'section',
    { class: 'view', attrs: { 'data-view': 'sandwich' } },
    head,
    h('h3', {}, 'Callers (who calls it, bottom to top)'),
    callers.el,
    h('h3', {}, 'Callees (what it calls)'),
    callees.el,
  );
  return {
    id: 'sandwich',
    label: 'Sandwich',
    el,
    show: () => {
      refresh();
      callers.redraw();
      callees.redraw();
    },
  };
}

function heaviestSelf(model: ProfileModel): number {
  let best = 0;
  model.functions.forEach((f, i) => {
    if (f.category !== 'root' && f.category !== 'idle' && f.selfMs > (model.functions[best]?.selfMs ?? 0)) best = i;
  });
  return best;
}

function emptyTree(): FlatTree {
  return buildFlatTree([0], [-1], [0], [0]);
}
