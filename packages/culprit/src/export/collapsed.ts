/**
 * Collapsed stacks (`a;b;c 42`), the input of Brendan Gregg's flamegraph.pl
 * and of most flame-graph tools. Values are sample counts; identical stacks
 * are merged and lines sorted so the output is stable.
 */
import type { ProfileData } from '../capture/types.js';
import type { Exporter } from './registry.js';
import { frameLabel, stacksOf } from './stacks.js';

export const collapsedExporter: Exporter = {
  description: 'collapsed stacks for flamegraph.pl, inferno, speedscope',
  extension: '.collapsed.txt',
  encode(profile: ProfileData): string {
    const counts = new Map<string, number>();
    const labels = profile.functions.map((_, fn) => sanitize(frameLabel(profile, fn)));
    for (const stack of stacksOf(profile)) {
      if (stack.frames.length === 0) continue;
      const key = stack.frames.map((fn) => labels[fn]).join(';');
      counts.set(key, (counts.get(key) ?? 0) + stack.samples);
    }
    const lines = [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, n]) => `${key} ${n}`);
    return lines.length ? `${lines.join('\n')}\n` : '';
  },
};

/** `;` separates frames and the last space the count: neither may appear in a label. */
function sanitize(label: string): string {
  return label.replaceAll(';', ':').replaceAll('\n', ' ');
}
