import { Sunburst } from '../charts/sunburst.js';
import type { ProfileModel } from '../model/profile-model.js';
import { frameColor } from '../ui/colors.js';
import { h } from '../ui/dom.js';
import type { Store } from '../ui/store.js';
import { frameLabel, frameTooltip } from './frame-text.js';
import { legend } from './legend.js';
import type { View } from './view.js';

const cutoffs = [0, 0.001, 0.005, 0.01, 0.05];

/** SnakeViz's sunburst with its two controls: how many rings, and the smallest slice shown. */
export function sunburstView(model: ProfileModel, store: Store): View {
  const { functions, tree } = model;
  const chart = new Sunburst(tree, {
    color: (node) => frameColor(functions[tree.fn[node]!]),
    label: (node) => frameLabel(functions, tree, node),
    tooltip: (node) => frameTooltip(functions, tree, node, model.requestCount),
    onSelect: (node) => store.select(tree.fn[node]!),
    dimmed: () => {
      const matches = store.state.matches;
      return matches ? (node) => matches[tree.fn[node]!] !== 1 : undefined;
    },
  });
  const depthValue = h('output', {}, String(chart.depth));
  const depth = h('input', {
    attrs: { type: 'range', min: '2', max: '20', value: String(chart.depth), 'aria-label': 'depth', name: 'depth' },
    on: {
      input: () => {
        chart.depth = Number(depth.value);
        depthValue.textContent = depth.value;
        chart.draw();
      },
    },
  });
  const cutoff = h(
    'select',
    {
      attrs: { 'aria-label': 'cutoff', name: 'cutoff' },
      on: {
        change: () => {
          chart.cutoff = Number(cutoff.value);
          chart.draw();
        },
      },
    },
    ...cutoffs.map((c) => {
      const option = h('option', { attrs: { value: String(c) } }, c === 0 ? 'show all' : `hide < ${c * 100}%`);
      option.selected = c === chart.cutoff;
      return option;
    }),
  );
  store.subscribe(() => chart.draw());
  const el = h(
    'section',
    { class: 'view', attrs: { 'data-view': 'sunburst' } },
    h(
      'div',
      { class: 'view-head controls' },
      h('label', {}, 'Depth ', depth, ' ', depthValue),
      h('label', {}, 'Cutoff ', cutoff),
      h('span', { class: 'hint' }, 'click a slice to centre it, the middle to go up'),
    ),
    legend(model),
    chart.el,
  );
  return { id: 'sunburst', label: 'Sunburst', el, show: () => chart.draw() };
}
