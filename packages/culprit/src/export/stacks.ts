/**
 * Sampled stacks read back from the profile model, shared by the exporters
 * that want stacks rather than a tree (speedscope, pprof, collapsed).
 *
 * With a timeline, one stack per sample in time order; without one, one stack
 * per tree node that has self time, weighted by it. Stacks are outermost
 * first and leave out the `(root)` pseudo-frame.
 */
import type { ProfileData } from '../capture/types.js';

export interface WeightedStack {
  /** Function indices, outermost first. */
  frames: number[];
  /** Time the stack stood for, milliseconds. */
  ms: number;
  /** Samples it stands for. */
  samples: number;
}

export function stacksOf(profile: ProfileData): WeightedStack[] {
  const pathOf = memoPaths(profile);
  if (profile.timeline) {
    const { nodes, deltasUs } = profile.timeline;
    return nodes.map((node, i) => ({ frames: pathOf(node), ms: (deltasUs[i] ?? 0) / 1000, samples: 1 }));
  }
  const stacks: WeightedStack[] = [];
  profile.nodes.forEach((node, index) => {
    if (node.selfSamples > 0) stacks.push({ frames: pathOf(index), ms: node.selfMs, samples: node.selfSamples });
  });
  return stacks;
}

/** Node index → function path from the root's child down to the node. */
function memoPaths(profile: ProfileData): (node: number) => number[] {
  const memo = new Map<number, number[]>();
  const pathOf = (index: number): number[] => {
    const known = memo.get(index);
    if (known) return known;
    const node = profile.nodes[index];
    if (!node || node.parent < 0) return [];
    const path = [...pathOf(node.parent), node.fn];
    memo.set(index, path);
    return path;
  };
  return pathOf;
}

/** A display label for a function: `name file:line` (file path as stored). */
export function frameLabel(profile: ProfileData, fn: number): string {
  const f = profile.functions[fn];
  if (!f) return '(unknown)';
  return f.file === '' ? f.name : `${f.name} ${f.file}:${f.line}`;
}
