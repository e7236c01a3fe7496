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
  makeTree: () => FlatTree,
  flip: boolean,
  store: Store,
): View {
  const { functions } = model;
  const body = h('div', {});
  const crumbs = h('nav', { class: 'breadcrumb', attrs: { 'aria-label': 'zoom path' } });
  let chart: FrameChart | undefined;
  // Built on first show: a bottom-up tree can hold far more nodes than the call tree, and most users never open it.
  const build = (): FrameChart => {
    const tree = makeTree();
    const made: FrameChart = new FrameChart(tree, {
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
              { class: 'crumb', on: { click: () => made.zoomTo(node) } },
              i === 0 ? 'all' : text(functions[tree.fn[node]!]?.name),
            ),
          ]),
        );
      },
    });
    made.zoomTo(0);
    store.subscribe(() => made.redraw());
    body.appendChild(made.el);
    return made;
  };
  const el = h(
    'section',
    { class: 'view', attrs: { 'data-view': id } },
    h('div', { class: 'view-head' }, crumbs, h('span', { class: 'hint' }, hint)),
    legend(model),
    body,
  );
  return {
    id,
    label,
    el,
    show: () => {
      chart ??= build();
      chart.redraw();
    },
  };
}
