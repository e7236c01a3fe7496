import { FrameChart } from '../charts/frame-chart.js';
import type { FlatTree } from '../model/flat-tree.js';
import type { ProfileModel } from '../model/profile-model.js';
import { frameColor } from '../ui/colors.js';
import { h, replace, text } from '../ui/dom.js';
import type { Store } from '../ui/store.js';
import { frameLabel, frameTooltip } from './frame-text.js';
import { legend } from './legend.js';
import type { View } from './view.js';

/** Icicle (root on top), flame graph (root at the bottom) or bottom-up tree, with breadcrumb and legend. */
export function frameView(
  id: string,
  label: string,
  hint: string,
  model: ProfileModel,
  tree: FlatTree,
  flip: boolean,
  store: Store,
): View & { chart: FrameChart } {
  const { functions } = model;
  const crumbs = h('nav', { class: 'breadcrumb', attrs: { 'aria-label': 'zoom path' } });
  const chart = new FrameChart(tree, {
    flip,
    color: (node) => frameColor(functions[tree.fn[node]!]),
    label: (node) => frameLabel(functions, tree, node),
    tooltip: (node) => frameTooltip(functions, tree, node, model.requestCount),
    dimmed: () => {
      const matches = store.state.matches;
      return matches ? (node) => matches[tree.fn[node]!] !== 1 : undefined;
    },
    outlined: (node) => tree.fn[node] === store.state.selectedFn,
    onSelect: (node) => store.select(tree.fn[node]!),
    onFocusChange: (path) => {
      replace(
        crumbs,
        ...path.flatMap((node, i) => [
          i > 0 ? ' › ' : '',
          h(
            'button',
            { class: 'crumb', on: { click: () => chart.zoomTo(node) } },
            i === 0 ? 'all' : text(functions[tree.fn[node]!]?.name),
          ),
        ]),
      );
    },
  });
  chart.zoomTo(0);
  store.subscribe(() => chart.redraw());
  const el = h(
    'section',
    { class: 'view', attrs: { 'data-view': id } },
    h('div', { class: 'view-head' }, crumbs, h('span', { class: 'hint' }, hint)),
    legend(model),
    chart.el,
  );
  return { id, label, el, chart, show: () => chart.redraw() };
}
