import { FrameChart } from '../charts/frame-chart.js';
import { buildSandwich } from '../model/derived-trees.js';
import { buildFlatTree, childrenOf, type FlatTree } from '../model/flat-tree.js';
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
      h(
        'div',
        { class: 'sandwich-lists' },
        neighbours('Called from', current.callers, model, store),
        neighbours('Calls', current.callees, model, store),
      ),
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

/** Direct callers or callees with time, share of the selected function's time and their exact calls; click to walk. */
function neighbours(title: string, tree: FlatTree, model: ProfileModel, store: Store): HTMLElement {
  const total = tree.total[0]! || 1;
  const rows = childrenOf(tree, 0).slice(0, 12);
  return h(
    'div',
    {},
    h('h3', {}, `${title} (${childrenOf(tree, 0).length})`),
    rows.length === 0
      ? h('div', { class: 'muted' }, 'none')
      : h(
          'table',
          { class: 'mini' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, 'function'),
              h('th', { class: 'num' }, 'time'),
              h('th', { class: 'num' }, 'share'),
              h('th', { class: 'num' }, 'calls'),
            ),
          ),
          h(
            'tbody',
            {},
            ...rows.map((node) => {
              const f = model.functions[tree.fn[node]!];
              return h(
                'tr',
                { class: 'link', on: { click: () => store.select(tree.fn[node]!) } },
                h('td', { class: 'text', title: text(locationOf(f)) }, text(f?.name)),
                h('td', { class: 'num' }, fmtMs(tree.total[node]!)),
                h('td', { class: 'num' }, fmtPct(tree.total[node]! / total)),
                h('td', { class: 'num' }, fmtCount(f?.calls)),
              );
            }),
          ),
        ),
  );
}
