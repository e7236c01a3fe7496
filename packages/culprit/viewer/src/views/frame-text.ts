import type { ProfileFunction } from '../../../src/capture/types.js';
import type { FlatTree } from '../model/flat-tree.js';
import { locationOf } from '../model/profile-model.js';
import { fmtCount, fmtMs, fmtPct, text } from '../ui/dom.js';

/** Frame label: the function name and its exact call count (`Model 231,590×`). */
export function frameLabel(functions: ProfileFunction[], tree: FlatTree, node: number): string {
  const f = functions[tree.fn[node]!];
  if (!f) return '';
  return f.calls !== null && f.calls !== undefined ? `${text(f.name)}  ${fmtCount(f.calls)}×` : text(f.name);
}

const categoryText: Record<string, string> = {
  app: 'your code',
  dependency: 'dependency',
  node: 'node internals',
  native: 'native',
  gc: 'garbage collection',
  idle: 'idle',
  program: 'V8 program',
  root: 'root',
};

/** Tooltip lines for a frame: exact figures, never rounded away. */
export function frameTooltip(functions: ProfileFunction[], tree: FlatTree, node: number, requests: number): string[] {
  const f = functions[tree.fn[node]!];
  if (!f) return [];
  const total = tree.total[node]!;
  const where = f.category === 'dependency' && f.package ? `${text(f.package)} (dependency)` : categoryText[f.category];
  const lines = [
    text(f.name),
    locationOf(f) ? `${text(locationOf(f))}` : '(no source location)',
    `${where ?? text(f.category)}`,
    `total ${fmtMs(total)} · ${fmtPct(total / (tree.total[0]! || 1))} of all · ${fmtMs(total / requests)} per request`,
    `self ${fmtMs(tree.self[node]!)}`,
  ];
  if (f.calls !== null && f.calls !== undefined) {
    const per = f.calls > 0 ? ` · ${fmtMs(f.totalMs / f.calls)} per call` : '';
    lines.push(`calls ${fmtCount(f.calls)} (function, exact)${per}`);
  }
  return lines;
}
