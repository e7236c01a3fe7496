import type { ProfileModel } from '../model/profile-model.js';
import { groupOf } from '../ui/colors.js';
import { fmtPct, h } from '../ui/dom.js';

/** Colour legend with each group's share of self time: your code vs each dependency vs Node. */
export function legend(model: ProfileModel): HTMLElement {
  const groups = new Map<string, { label: string; color: string; ms: number }>();
  for (const f of model.functions) {
    const g = groupOf(f);
    const entry = groups.get(g.key) ?? { label: g.label, color: g.color, ms: 0 };
    entry.ms += f.selfMs;
    groups.set(g.key, entry);
  }
  const total = [...groups.values()].reduce((sum, g) => sum + g.ms, 0) || 1;
  const items = [...groups.values()]
    .filter((g) => g.ms / total >= 0.0005) // groups under 0.05% are noise in a legend
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 12);
  return h(
    'div',
    { class: 'legend', attrs: { 'aria-label': 'colours by package' } },
    ...items.map((g) => {
      const swatch = h('span', { class: 'swatch' });
      swatch.style.background = g.color;
      return h('span', { class: 'legend-item' }, swatch, `${g.label} ${fmtPct(g.ms / total)}`);
    }),
  );
}
